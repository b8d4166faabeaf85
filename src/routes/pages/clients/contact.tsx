/** The client's contact card in place: shown, edited (a new email or phone becomes primary) and a change reverted. */
import { type Context, Hono } from 'hono'
import { unwrap } from '../../../../durable-objects/org/result'
import { pointsOf } from '../../../../durable-objects/org/cards/cards'
import { ClientName } from '../../../../views/clients/client'
import { ContactCard, ContactForm } from '../../../../views/clients/card'
import { ConsentCard } from '../../../../views/clients/consent'
import type { FormErrors, FormValues } from '../../../../views/fields'
import { phone as formatPhone } from '../../../../views/format'
import { fragment } from '../../../../views/layout'
import { authorOf, changeClientContact } from '../../../clients/intake'
import { peopleDb } from '../../../db'
import type { AppEnv } from '../../../env'
import { notFound } from '../../../errors'
import { consentFor, targetOf } from '../../../people/consent'
import { normalizePhone } from '../../../people/normalize'
import { hasHomeownerAccount } from '../../../portal/accounts'
import { formBody, ID, isHtmx, phoneRule } from '../forms'
import { contactForm } from './forms'
import { clientAndCard, clientPage, withTimeline } from './render'

/** A phone that reads in the business's country; a first name once the card has one (it cannot be cleared). */
async function contactRules(values: FormValues, c: Context<AppEnv>): Promise<FormErrors> {
  const { card } = await clientAndCard(c, c.req.param('id')!)
  const firstNameKept =
    !(values['first_name'] ?? '').trim() && card?.first_name ? { first_name: 'Enter a first name.' } : {}
  return { ...phoneRule(values, c.get('organization').country), ...firstNameKept }
}

/** The contact form again with errors beside the fields, 422: the fragment for htmx, else the page. */
async function contactInvalid(c: Context<AppEnv>, values: FormValues, errors: FormErrors) {
  const id = c.req.param('id')!
  if (!isHtmx(c)) return clientPage(c, id, { contactEdit: { values, errors } }, 422)
  const { client } = await clientAndCard(c, id)
  return fragment(c, <ContactForm client={client} values={values} errors={errors} />, 422)
}

/**
 * After a contact change: the card, with the client's name, timeline and consent (which follows the
 * card's phone and email) refreshed beside it.
 */
async function contactChanged(c: Context<AppEnv>, id: string, notice: string) {
  const { client, card } = await clientAndCard(c, id)
  const db = peopleDb(c.env.PEOPLE)
  const [consent, homeowner] = await Promise.all([
    consentFor(db, targetOf(client), c.get('organization').id),
    hasHomeownerAccount(db, pointsOf(card)),
  ])
  return withTimeline(
    c,
    id,
    <>
      <ContactCard client={client} contact={card} notice={notice} />
      <hx-partial hx-target="#client-name" hx-swap="innerHTML">
        <ClientName client={client} homeowner={homeowner} />
      </hx-partial>
      <hx-partial hx-target="#client-consent" hx-swap="outerHTML">
        <ConsentCard clientId={id} consent={consent} />
      </hx-partial>
    </>,
  )
}

/** The contact card's routes: the card and its form as fragments, a save, and a revert from the timeline. */
export const contactPages = new Hono<AppEnv>()
  .get(`/:id{${ID}}/contact`, async (c) => {
    const id = c.req.param('id')
    if (!isHtmx(c)) return c.redirect(`/app/clients/${id}`, 303)
    const { client, card } = await clientAndCard(c, id)
    return fragment(c, <ContactCard client={client} contact={card} />)
  })
  .get(`/:id{${ID}}/contact/edit`, async (c) => {
    const id = c.req.param('id')
    const { client, card } = await clientAndCard(c, id)
    const values = {
      first_name: card?.first_name ?? '',
      last_name: card?.last_name ?? '',
      email: card?.primary_email ?? '',
      phone: formatPhone(card?.primary_phone_e164 ?? null),
    }
    if (!isHtmx(c)) return clientPage(c, id, { contactEdit: { values, errors: {} } })
    return fragment(c, <ContactForm client={client} values={values} errors={{}} />)
  })
  .post(`/:id{${ID}}/contact`, formBody(contactForm, contactInvalid, { rules: contactRules }), async (c) => {
    const id = c.req.param('id')
    const organization = c.get('organization')
    const { card } = await clientAndCard(c, id)
    const v = c.req.valid('form')
    const phone = v.phone === undefined ? undefined : normalizePhone(v.phone, organization.country)
    await changeClientContact(
      c.env,
      organization,
      { org_client_id: id },
      {
        ...(v.first_name ? { first_name: v.first_name } : {}),
        // A blank last name clears it; blank email or phone keeps the card's (a revert takes a wrong one back).
        ...(v.last_name !== undefined || card?.last_name ? { last_name: v.last_name ?? '' } : {}),
        ...(v.email ? { email: v.email } : {}),
        ...(phone ? { phone } : {}),
      },
      authorOf(c.get('session')),
    )
    if (!isHtmx(c)) return c.redirect(`/app/clients/${id}`, 303)
    return contactChanged(c, id, 'Saved.')
  })
  .post(`/:id{${ID}}/changes/:event{${ID}}/revert`, async (c) => {
    const { id, event } = c.req.param()
    const reverted = unwrap(await c.get('org').revertContactChange(id, event, authorOf(c.get('session'))))
    if (reverted === null) throw notFound('change')
    if (!isHtmx(c)) return c.redirect(`/app/clients/${id}`, 303)
    return contactChanged(c, id, reverted.length > 0 ? 'Put back.' : 'Nothing to put back: it has changed since.')
  })
