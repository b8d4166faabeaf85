/**
 * /u/{token}: one-click unsubscribe from a business's offers and news by email (appointment
 * reminders and receipts still come). GET shows one button (link scanners open links, so a GET
 * changes nothing); POST unsubscribes, whether from that button or from a mail client's RFC 8058
 * one-click request (`List-Unsubscribe=One-Click`). Public: the signed token is the only credential.
 */
import { Hono, type Context } from 'hono'
import { UnsubscribedPage, UnsubscribeLinkInvalid, UnsubscribePage } from '../../../views/campaigns/unsubscribe'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { verifyLinkToken } from '../../messaging/portal-token'
import { getOrganization, orgStub } from '../../organizations'
import { consentFor, setConsent, targetOf } from '../../people/consent'
import { messagingOf } from '../../messaging/remote'

/** The organization and client a valid unsubscribe token is for, else null. */
async function recipientOf(c: Context<AppEnv>) {
  const key = c.env.PORTAL_SIGNING_KEY
  const claims = key ? await verifyLinkToken(key, c.req.param('token') ?? '', 'unsubscribe') : null
  if (!claims) return null
  const organization = await getOrganization(peopleDb(c.env.PEOPLE), claims.o)
  const client = organization ? await orgStub(c.env, claims.o).getClient(claims.c) : null
  return organization && client ? { organization, client } : null
}

/** A link that is broken, expired or no longer belongs to a client. */
function invalidLink(c: Context<AppEnv>) {
  c.status(404)
  return c.render(<UnsubscribeLinkInvalid />, { title: 'Link not valid' })
}

export const unsubscribePages = new Hono<AppEnv>()
  .get('/:token', async (c) => {
    const found = await recipientOf(c)
    if (!found) return invalidLink(c)
    return c.render(<UnsubscribePage business={found.organization.name} action={`/u/${c.req.param('token')}`} />, {
      title: 'Unsubscribe',
    })
  })
  .post('/:token', async (c) => {
    const found = await recipientOf(c)
    if (!found) return invalidLink(c)
    const { organization, client } = found
    const db = peopleDb(c.env.PEOPLE)
    if ((await consentFor(db, targetOf(client), organization.id)).marketing_email_opt_in) {
      const consent = await setConsent(
        db,
        targetOf(client),
        organization.id,
        { marketing_email_opt_in: false },
        'unsubscribe link',
      )
      await messagingOf(orgStub(c.env, organization.id)).recordConsentChange(
        client.org_client_id,
        consent,
        'unsubscribe link',
        null,
      )
    }
    return c.render(<UnsubscribedPage business={organization.name} />, { title: 'Unsubscribed' })
  })
