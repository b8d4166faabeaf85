/**
 * The homeowner portal under `/p`: a signed link (`/p/{token}`) shows one provider's visits and
 * invoices for one client; `/p/me` shows every provider whose card holds a phone or email the
 * homeowner proved by one-time code, and lets them send their new details. No staff session,
 * no htmx: plain forms, small pages. See docs/decisions/011-homeowner-portal.md.
 */
import { Hono, type Context } from 'hono'
import { csrf } from 'hono/csrf'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { consentFor } from '../../people/consent'
import { linkAccess, type PortalAccess } from '../../portal/access'
import { provenPoints } from '../../portal/accounts'
import { ConfirmLinkPage, HomePage } from '../../../views/portal/pages'
import { PortalInvoicePage } from '../../../views/portal/invoice'
import { MessagePage } from '../../../views/portal/layout'
import { portalActions } from './actions'
import { homeownerPages } from './home'
import { identityPages } from './identity'
import { expiredPage, homeSession, noticeOf, notFoundPage, optionsOf } from './shared'
import { portalOf } from '../../portal/remote'

/** A valid link's access; the expired page or a 404 otherwise. */
async function linkResolver(c: Context<AppEnv>): Promise<PortalAccess | Response> {
  const link = await linkAccess(c.env, c.req.param('token') ?? '')
  if (link.state === 'ok') return link.access
  return link.state === 'expired' ? expiredPage(c, link.claims) : notFoundPage(c)
}

/** A "pay this invoice" link's page: the invoice with its lines and totals, or thanks once it is paid. */
async function payLinkPage(c: Context<AppEnv>, access: PortalAccess) {
  const [result, lines] = await Promise.all([
    portalOf(access.org).invoiceToPay(access.orgClientId, access.resource!),
    access.org.portalInvoiceLines(access.orgClientId, access.resource!),
  ])
  if (result.ok)
    return c.html(
      <PortalInvoicePage
        business={result.value.business}
        invoice={result.value.invoice}
        lines={lines}
        target={access}
        notice={noticeOf(c)}
      />,
    )
  if (result.error.status === 404) return notFoundPage(c)
  return c.html(<MessagePage title="This invoice is paid" lines={['Thank you! There is nothing left to pay.']} />)
}

/** A "confirm this visit" link's page. */
async function confirmLinkPage(c: Context<AppEnv>, access: PortalAccess) {
  const view = await portalOf(access.org).portalView(access.orgClientId)
  const job = view ? [...view.upcoming, ...view.past].find((j) => j.id === access.resource) : undefined
  if (!view || !job) return notFoundPage(c)
  return c.html(<ConfirmLinkPage business={view.business} job={job} target={access} notice={noticeOf(c)} />)
}

/** A portal link's page: the provider, and either "see every provider" (signed in as this person) or the code offer. */
async function portalHome(c: Context<AppEnv>, access: PortalAccess) {
  const db = peopleDb(c.env.PEOPLE)
  const [view, contact, session] = await Promise.all([
    portalOf(access.org).portalView(access.orgClientId),
    portalOf(access.org).portalContact(access.orgClientId),
    homeSession(c),
  ])
  if (!view || !contact) return notFoundPage(c)
  const consent = await consentFor(db, contact, access.organizationId)
  // Signed in as this client: the account proved a point this business's card of them holds.
  const signedIn =
    session !== null &&
    (await portalOf(access.org).portalClientFor(access.personId, await provenPoints(db, session.accountId))) ===
      access.orgClientId
  const options = optionsOf(contact)
  return c.html(
    <HomePage
      view={view}
      target={access}
      consent={consent}
      notice={noticeOf(c)}
      signedIn={signedIn}
      verify={options.sms || options.email ? options : null}
    />,
  )
}

export const portalPages = new Hono<AppEnv>()
  .use('*', async (c, next) => {
    await next()
    // The token is the permission: keep it out of caches, search engines and Referer headers.
    c.header('Cache-Control', 'no-store')
    c.header('Referrer-Policy', 'no-referrer')
    c.header('X-Robots-Tag', 'noindex')
  })
  .use('*', csrf())
  .route('/me', homeownerPages)
  .get('/:token', async (c) => {
    const access = await linkResolver(c)
    if (access instanceof Response) return access
    if (access.purpose === 'pay') return payLinkPage(c, access)
    if (access.purpose === 'confirm') return confirmLinkPage(c, access)
    return portalHome(c, access)
  })
  .route('/:token', identityPages)
  .route('/:token', portalActions(linkResolver))
