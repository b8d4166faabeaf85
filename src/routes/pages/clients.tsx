/** /app/clients: the list with live search, the new-client form, and a client's page with in-place edits. */
import { zValidator } from '@hono/zod-validator'
import { Hono, type Context } from 'hono'
import type { Child } from 'hono/jsx'
import { z } from 'zod'
import { unwrap } from '../../../durable-objects/org/result'
import { createClient, type CreateClientInput } from '../../clients/service'
import { pointsOf } from '../../../durable-objects/org/cards'
import { authorOf, changeClientContact } from '../../clients/intake'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { AppError, notFound } from '../../errors'
import { normalizePhone } from '../../people/normalize'
import { consentFor, setConsent, targetOf } from '../../people/consent'
import { hasHomeownerAccount } from '../../portal/accounts'
import { ClientOptions } from '../../../views/client-picker'
import { ClientName, ClientPage, ContactCard, ContactForm, Notes, PrivateDetails, Properties, type AddressEditing } from '../../../views/client'
import { ConsentCard } from '../../../views/consent'
import { ClientRows, ClientsPage, NewClientForm, NewClientPage, type ClientFilters } from '../../../views/clients'
import type { FormErrors, FormValues } from '../../../views/fields'
import { phone as formatPhone } from '../../../views/format'
import { Timeline } from '../../../views/timeline'
import { addressRule, contactRule, fieldErrors, formBody, formStrings, ID, isHtmx, optionalEmail, optionalText, PHONE_HELP, phoneRule, tagList, text } from './forms'
import { jobItems, pickerClients } from './lookups'

const STATUSES = ['lead', 'active', 'inactive'] as const
const blankIsUndefined = <T extends z.ZodType>(s: T) => s.optional().catch(undefined)

const listQuery = z.object({
  q: blankIsUndefined(z.string().trim().min(1).max(100)),
  status: blankIsUndefined(z.enum(STATUSES)),
  tag: blankIsUndefined(z.string().trim().min(1).max(50)),
  cursor: blankIsUndefined(z.string().min(1).max(200)),
})

const newClientForm = z.object({
  first_name: text(100, 'Enter a first name.'),
  last_name: optionalText(100),
  email: optionalEmail,
  phone: optionalText(40),
  status: z.enum(STATUSES, { message: 'Choose a status.' }).default('active'),
  tags: tagList,
  notes: optionalText(10_000),
  address1: optionalText(200),
  city: optionalText(100),
  state: optionalText(100),
  postal: optionalText(20),
})

const newClientRules = (values: FormValues, c: Context<AppEnv>) => ({
  ...contactRule(values, 'email', 'Add an email or a phone number so you can reach them.'),
  ...phoneRule(values, c.get('organization').country),
  ...addressRule(values),
})

const detailsForm = z.object({
  status: z.enum(STATUSES, { message: 'Choose a status.' }),
  tags: tagList,
  pricing_tier: optionalText(50),
  tax_rate: z.string().trim().optional().transform((v, ctx) => {
    if (!v) return null
    const n = Number(v.replace(/%$/, ''))
    if (!Number.isFinite(n) || n < 0 || n > 100) {
      ctx.addIssue({ code: 'custom', message: 'Enter a percentage from 0 to 100, like 8.25.' })
      return z.NEVER
    }
    return Math.round(n * 100) / 10_000
  }),
})

const noteForm = z.object({ note: text(10_000, 'Write the note first.') })

const contactForm = z.object({
  first_name: optionalText(100),
  last_name: optionalText(100),
  email: optionalEmail,
  phone: optionalText(40),
})

const addressForm = z.object({
  label: optionalText(60),
  address1: text(200, 'Enter the street address.'),
  address2: optionalText(200),
  city: text(100, 'Enter the city.'),
  state: text(100, 'Enter the state.'),
  postal: text(20, 'Enter the ZIP code.'),
})

/** The new-client form again, filled in, with errors beside the fields: a fragment for htmx, else the page. */
function newClientInvalid(c: Context<AppEnv>, values: FormValues, errors: FormErrors) {
  const session = c.get('session')!
  if (isHtmx(c)) return c.html(<NewClientForm session={session} values={values} errors={errors} />, 422)
  return c.html(<NewClientPage session={session} values={values} errors={errors} />, 422)
}

/** Everything the client page shows, or a 404 for an id this organization does not hold. */
async function clientPageData(c: Context<AppEnv>, id: string) {
  const org = c.get('org')
  const client = await org.getClient(id)
  if (!client) throw notFound('client')
  const db = peopleDb(c.env.PEOPLE)
  const [contact, consent, jobs, invoices, timeline, addresses] = await Promise.all([
    org.getPersonCard(client.person_id),
    consentFor(db, targetOf(client), c.get('organization').id),
    org.listJobs({ org_client_id: id, limit: 100 }),
    org.listInvoices({ org_client_id: id, limit: 100 }),
    org.clientTimeline(id),
    org.listAddresses(id),
  ])
  const items = await jobItems(c, jobs.reverse())
  const homeowner = await hasHomeownerAccount(db, pointsOf(contact))
  return { session: c.get('session')!, client, contact, consent, jobs: items, invoices, timeline: timeline ?? [], homeowner, addresses: addresses ?? [] }
}

/** The list's rows for htmx (search, filters, "show more"), the whole page otherwise; caches must keep them apart. */
async function clientList(c: Context<AppEnv>, filters: ClientFilters & { cursor?: string }, rowsOnly: boolean) {
  const page = await c.get('org').listClients({ ...filters, limit: 50 })
  c.header('Vary', 'HX-Request')
  const { cursor: _, ...shown } = filters
  if (rowsOnly) return c.html(<ClientRows items={page.items} nextCursor={page.next_cursor} filters={shown} />)
  return c.html(<ClientsPage session={c.get('session')!} filters={shown} items={page.items} nextCursor={page.next_cursor} />)
}

/** The client and its card, or a 404 for an id this organization does not hold. */
async function clientAndCard(c: Context<AppEnv>, id: string) {
  const client = await c.get('org').getClient(id)
  if (!client) throw notFound('client')
  return { client, card: await c.get('org').getPersonCard(client.person_id) }
}

/** The contact form again with errors beside the fields, 422: the fragment for htmx, else the page. */
async function contactInvalid(c: Context<AppEnv>, id: string, values: FormValues, errors: FormErrors) {
  const data = await clientPageData(c, id)
  if (!isHtmx(c)) return c.html(<ClientPage {...data} contactEdit={{ values, errors }} />, 422)
  return c.html(<ContactForm session={data.session} client={data.client} values={values} errors={errors} />, 422)
}

/**
 * After a contact change: the card, with the client's name, timeline and consent (which follows the
 * card's phone and email) refreshed beside it.
 */
async function contactChanged(c: Context<AppEnv>, id: string, notice: string) {
  const { client, card } = await clientAndCard(c, id)
  const session = c.get('session')!
  const db = peopleDb(c.env.PEOPLE)
  const [consent, homeowner] = await Promise.all([consentFor(db, targetOf(client), c.get('organization').id), hasHomeownerAccount(db, pointsOf(card))])
  return withTimeline(c, id, <>
    <ContactCard session={session} client={client} contact={card} notice={notice} />
    <hx-partial hx-target="#client-name" hx-swap="innerHTML"><ClientName client={client} homeowner={homeowner} /></hx-partial>
    <hx-partial hx-target="#client-consent" hx-swap="outerHTML"><ConsentCard session={session} clientId={id} consent={consent} /></hx-partial>
  </>)
}

/** The properties card (with the timeline after a change); on failure the form or error in place with `status`. */
async function properties(c: Context<AppEnv>, id: string, state: { editing?: AddressEditing; notice?: string; error?: string }, status: 200 | 409 | 422 = 200) {
  const addresses = await c.get('org').listAddresses(id)
  if (!addresses) throw notFound('client')
  if (!isHtmx(c)) {
    if (status === 200 && !state.editing) return c.redirect(`/app/clients/${id}`, 303)
    return c.html(<ClientPage {...await clientPageData(c, id)} addressEdit={state.editing} notice={state.error} />, status)
  }
  const card = <Properties session={c.get('session')!} clientId={id} addresses={addresses} {...state} />
  return state.notice ? withTimeline(c, id, card) : c.html(card, status)
}

/** Reads the address form; null values with errors when it does not hold a whole address. */
async function addressValues(c: Context<AppEnv>) {
  const values = await formStrings(c)
  const parsed = addressForm.safeParse(values)
  return parsed.success ? { values, address: parsed.data, errors: {} } : { values, address: null, errors: fieldErrors(parsed.error.issues) }
}

/** A failed address change: 409 (a job is booked there) comes back as a message on the card. */
async function addressConflict(c: Context<AppEnv>, id: string, write: () => Promise<unknown>, notice: string) {
  try {
    await write()
  } catch (error) {
    if (error instanceof AppError && error.status === 409) return properties(c, id, { error: error.message }, 409)
    throw error
  }
  return properties(c, id, { notice })
}

/** The client card's routes: contact edit and revert, addresses added, changed and removed in place. */
const cardPages = new Hono<AppEnv>()
  .get(`/:id{${ID}}/contact`, async (c) => {
    const id = c.req.param('id')
    if (!isHtmx(c)) return c.redirect(`/app/clients/${id}`, 303)
    const { client, card } = await clientAndCard(c, id)
    return c.html(<ContactCard session={c.get('session')!} client={client} contact={card} />)
  })
  .get(`/:id{${ID}}/contact/edit`, async (c) => {
    const id = c.req.param('id')
    const { client, card } = await clientAndCard(c, id)
    const values = { first_name: card?.first_name ?? '', last_name: card?.last_name ?? '', email: card?.primary_email ?? '', phone: formatPhone(card?.primary_phone_e164 ?? null) }
    if (!isHtmx(c)) return c.html(<ClientPage {...await clientPageData(c, id)} contactEdit={{ values, errors: {} }} />)
    return c.html(<ContactForm session={c.get('session')!} client={client} values={values} errors={{}} />)
  })
  .post(`/:id{${ID}}/contact`, async (c) => {
    const id = c.req.param('id')
    const organization = c.get('organization')
    const { card } = await clientAndCard(c, id)
    const values = await formStrings(c)
    const parsed = contactForm.safeParse(values)
    const errors: FormErrors = { ...phoneRule(values, organization.country), ...(parsed.success ? {} : fieldErrors(parsed.error.issues)) }
    if (!(values['first_name'] ?? '').trim() && card?.first_name) errors['first_name'] = 'Enter a first name.'
    if (!parsed.success || Object.values(errors).some(Boolean)) return contactInvalid(c, id, values, errors)
    const v = parsed.data
    const phone = v.phone === undefined ? undefined : normalizePhone(v.phone, organization.country)
    await changeClientContact(c.env, organization, { org_client_id: id }, {
      ...(v.first_name ? { first_name: v.first_name } : {}),
      // A blank last name clears it; blank email or phone keeps the card's (a revert takes a wrong one back).
      ...(v.last_name !== undefined || card?.last_name ? { last_name: v.last_name ?? '' } : {}),
      ...(v.email ? { email: v.email } : {}),
      ...(phone ? { phone } : {}),
    }, authorOf(c.get('session')))
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
  .get(`/:id{${ID}}/addresses`, async (c) => properties(c, c.req.param('id'), {}))
  .get(`/:id{${ID}}/addresses/:address{${ID}}/edit`, async (c) => {
    const { id, address } = c.req.param()
    const found = (await c.get('org').listAddresses(id))?.find((a) => a.id === address)
    if (!found) throw notFound('address')
    const values = { label: found.label ?? '', address1: found.address1, address2: found.address2 ?? '', city: found.city, state: found.state, postal: found.postal }
    return properties(c, id, { editing: { id: address, values, errors: {} } }, 200)
  })
  .post(`/:id{${ID}}/addresses`, async (c) => {
    const id = c.req.param('id')
    const { values, address, errors } = await addressValues(c)
    if (!address) return properties(c, id, { editing: { id: 'new', values, errors } }, 422)
    unwrap(await c.get('org').addAddress(id, { ...address, country: c.get('organization').country }, authorOf(c.get('session'))))
    return properties(c, id, { notice: 'Address added.' })
  })
  .post(`/:id{${ID}}/addresses/:address{${ID}}`, async (c) => {
    const { id, address: addressId } = c.req.param()
    const { values, address, errors } = await addressValues(c)
    if (!address) return properties(c, id, { editing: { id: addressId, values, errors } }, 422)
    const patch = { ...address, label: address.label ?? null, address2: address.address2 ?? null }
    unwrap(await c.get('org').changeAddress(id, addressId, patch, authorOf(c.get('session'))))
    return properties(c, id, { notice: 'Address saved.' })
  })
  .post(`/:id{${ID}}/addresses/:address{${ID}}/default`, async (c) => {
    const { id, address } = c.req.param()
    return addressConflict(c, id, async () => unwrap(await c.get('org').changeAddress(id, address, { is_default: true }, authorOf(c.get('session')))), 'Default address changed.')
  })
  .post(`/:id{${ID}}/addresses/:address{${ID}}/remove`, async (c) => {
    const { id, address } = c.req.param()
    return addressConflict(c, id, async () => unwrap(await c.get('org').removeAddress(id, address, authorOf(c.get('session')))), 'Address removed.')
  })

export const clientsPages = new Hono<AppEnv>()
  .route('/', cardPages)
  .get('/', zValidator('query', listQuery), async (c) => clientList(c, c.req.valid('query'), isHtmx(c)))
  .get('/rows', zValidator('query', listQuery), async (c) => clientList(c, c.req.valid('query'), true))
  .get('/options', async (c) => {
    const q = (c.req.query('client_q') ?? '').trim().slice(0, 100)
    const selected = c.req.query('org_client_id') || undefined
    const clients = q ? (await c.get('org').listClients({ q, limit: 50 })).items : await pickerClients(c, selected)
    c.header('Vary', 'HX-Request')
    return c.html(<ClientOptions clients={clients} selected={selected} query={q || undefined} />)
  })
  .get('/new', (c) => c.html(<NewClientPage session={c.get('session')!} values={{ status: 'active' }} errors={{}} />))
  .post('/', formBody(newClientForm, newClientInvalid, newClientRules), async (c) => {
    const v = c.req.valid('form')
    const organization = c.get('organization')
    const phone = v.phone === undefined ? undefined : normalizePhone(v.phone, organization.country)
    if (phone === null) {
      return newClientInvalid(c, await formStrings(c), { phone: PHONE_HELP })
    }
    const input: CreateClientInput = {
      first_name: v.first_name, last_name: v.last_name, email: v.email, phone, status: v.status, tags: v.tags, notes: v.notes,
      address: v.address1 ? { address1: v.address1, city: v.city!, state: v.state!, postal: v.postal! } : undefined,
    }
    let created
    try {
      created = await createClient(c.env, organization, input, authorOf(c.get('session')))
    } catch (error) {
      if (error instanceof AppError && error.issues) return newClientInvalid(c, await formStrings(c), fieldErrors(error.issues.map((i) => ({ path: i.path.split('.'), message: i.message }))))
      throw error
    }
    const url = `/app/clients/${created.org_client_id}${created.created ? '' : '?existing=1'}`
    if (isHtmx(c)) {
      c.header('HX-Redirect', url)
      return c.body(null, 201)
    }
    return c.redirect(url, 303)
  })
  .get(`/:id{${ID}}`, async (c) => {
    const notice = c.req.query('existing') ? 'This person was already your client, so nothing new was added.' : undefined
    return c.html(<ClientPage {...await clientPageData(c, c.req.param('id'))} notice={notice} />)
  })
  .post(`/:id{${ID}}/details`, async (c) => {
    const id = c.req.param('id')
    const values = await formStrings(c)
    const parsed = detailsForm.safeParse(values)
    if (!parsed.success) {
      const details = { values, errors: fieldErrors(parsed.error.issues) }
      const data = await clientPageData(c, id)
      if (!isHtmx(c)) return c.html(<ClientPage {...data} details={details} />, 422)
      return c.html(<PrivateDetails session={data.session} client={data.client} {...details} />, 422)
    }
    const v = parsed.data
    const client = unwrap(await c.get('org').updateClient(id, { status: v.status, tags: v.tags, settings: { pricing_tier: v.pricing_tier ?? null, tax_rate: v.tax_rate } }))
    if (!isHtmx(c)) return c.redirect(`/app/clients/${id}`, 303)
    return withTimeline(c, id, <PrivateDetails session={c.get('session')!} client={client} notice="Saved." />)
  })
  .post(`/:id{${ID}}/notes`, async (c) => {
    const id = c.req.param('id')
    const parsed = noteForm.safeParse(await formStrings(c))
    if (!parsed.success) {
      const note = { error: fieldErrors(parsed.error.issues)['note'] }
      const data = await clientPageData(c, id)
      if (!isHtmx(c)) return c.html(<ClientPage {...data} note={note} />, 422)
      return c.html(<Notes session={data.session} client={data.client} {...note} />, 422)
    }
    const session = c.get('session')!
    const client = unwrap(await c.get('org').updateClient(id, { notes: parsed.data.note, author: session.email }))
    if (!isHtmx(c)) return c.redirect(`/app/clients/${id}`, 303)
    return withTimeline(c, id, <Notes session={session} client={client} />)
  })

export const consentRoutes = new Hono<AppEnv>().post(`/:id{${ID}}/consents`, async (c) => {
  const id = c.req.param('id')
  const client = await c.get('org').getClient(id)
  if (!client) throw notFound('client')
  const form = await formStrings(c)
  const session = c.get('session')!
  const db = peopleDb(c.env.PEOPLE)
  const reason = (form['reason'] ?? '').trim().slice(0, 300)
  if (reason === '') {
    const consent = await consentFor(db, targetOf(client), c.get('organization').id)
    return c.html(<ConsentCard session={session} clientId={id} consent={consent} error="Say why, so the team knows later." />, 422)
  }
  // Only the channels staff changed count as the client's choice; the form always carries both.
  const current = await consentFor(db, targetOf(client), c.get('organization').id)
  const wanted = { sms_opt_in: form['sms_opt_in'] === 'on', email_opt_in: form['email_opt_in'] === 'on', marketing_email_opt_in: form['marketing_email_opt_in'] === 'on' }
  const change = {
    ...(wanted.sms_opt_in !== current.sms_opt_in ? { sms_opt_in: wanted.sms_opt_in } : {}),
    ...(wanted.email_opt_in !== current.email_opt_in ? { email_opt_in: wanted.email_opt_in } : {}),
    ...(wanted.marketing_email_opt_in !== current.marketing_email_opt_in ? { marketing_email_opt_in: wanted.marketing_email_opt_in } : {}),
  }
  const consent = await setConsent(db, targetOf(client), c.get('organization').id, change, `${reason} (${session.email})`)
  await c.get('org').recordConsentChange(id, consent, reason, session.email)
  if (!isHtmx(c)) return c.redirect(`/app/clients/${id}`, 303)
  return withTimeline(c, id, <ConsentCard session={session} clientId={id} consent={consent} notice="Saved." />)
})

/** A changed fragment plus the client's timeline, which every change adds to. */
async function withTimeline(c: Context<AppEnv>, id: string, fragment: Child) {
  const view = await c.get('org').timelineWithCard(id)
  const revert = { clientId: id, csrf: c.get('session')!.csrfToken, card: view?.card ?? null }
  return c.html(
    <>
      {fragment}
      <hx-partial hx-target="#timeline" hx-swap="outerHTML"><Timeline items={view?.items ?? []} tz={c.get('organization').timezone} revert={revert} /></hx-partial>
    </>,
  )
}
