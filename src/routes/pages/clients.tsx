/** /app/clients: the list with live search, the new-client form, and a client's page with in-place edits. */
import { zValidator } from '@hono/zod-validator'
import { Hono, type Context } from 'hono'
import type { Child } from 'hono/jsx'
import { z } from 'zod'
import { unwrap } from '../../../durable-objects/org/result'
import { CLIENT_STATUSES } from '../../../durable-objects/org/crm/statuses'
import { addressSchema, createClient, createClientSchema } from '../../clients/service'
import { pointsOf } from '../../../durable-objects/org/cards/cards'
import { authorOf, changeClientContact } from '../../clients/intake'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { AppError, notFound } from '../../errors'
import { normalizePhone } from '../../people/normalize'
import { consentFor, setConsent, targetOf } from '../../people/consent'
import { hasHomeownerAccount } from '../../portal/accounts'
import { ClientOptions } from '../../../views/clients/picker'
import {
  ClientName,
  ClientPage,
  ContactCard,
  ContactForm,
  Notes,
  PrivateDetails,
  Properties,
  type AddressEditing,
  type ClientPageProps,
} from '../../../views/clients/client'
import { ConsentCard } from '../../../views/clients/consent'
import { ClientRows, ClientsPage, NewClientForm, NewClientPage, type ClientFilters } from '../../../views/clients/list'
import type { FormErrors, FormValues } from '../../../views/fields'
import { phone as formatPhone, personName } from '../../../views/format'
import { fragment } from '../../../views/layout'
import { Timeline } from '../../../views/clients/timeline'
import { patchClientSchema } from '../api/clients'
import { consentPatch } from '../api/consents'
import {
  addressRule,
  checkbox,
  contactRule,
  fieldErrors,
  formBody,
  formStrings,
  ID,
  intoApi,
  isHtmx,
  optionalEmail,
  optionalText,
  phoneRule,
  tagList,
  text,
} from './forms'
import { jobItems, pickerClients } from './lookups'

const blankIsUndefined = <T extends z.ZodType>(s: T) => s.optional().catch(undefined)
const page = (title: string) => ({ title, active: 'clients' as const })

const listQuery = z.object({
  q: blankIsUndefined(z.string().trim().min(1).max(100)),
  status: blankIsUndefined(z.enum(CLIENT_STATUSES)),
  tag: blankIsUndefined(z.string().trim().min(1).max(50)),
  cursor: blankIsUndefined(z.string().min(1).max(200)),
})

/** The new-client form, read into the API's new client (the phone is read in the business's country when the client is made). */
const newClientForm = intoApi(
  z.object({
    first_name: text(100, 'Enter a first name.'),
    last_name: optionalText(100),
    email: optionalEmail,
    phone: optionalText(40),
    status: z.enum(CLIENT_STATUSES, { message: 'Choose a status.' }).default('active'),
    tags: tagList,
    notes: optionalText(10_000),
    address1: optionalText(200),
    city: optionalText(100),
    state: optionalText(100),
    postal: optionalText(20),
  }),
  ({ address1, city, state, postal, ...client }) => ({
    ...client,
    address: address1 ? { address1, city: city!, state: state!, postal: postal! } : undefined,
  }),
  createClientSchema,
)

const newClientRules = (values: FormValues, c: Context<AppEnv>) => ({
  ...contactRule(values, 'email', 'Add an email or a phone number so you can reach them.'),
  ...phoneRule(values, c.get('organization').country),
  ...addressRule(values),
})

/** Status, tags, pricing tier and tax rate (typed as a percentage), read into the API's client patch. */
const detailsForm = intoApi(
  z.object({
    status: z.enum(CLIENT_STATUSES, { message: 'Choose a status.' }),
    tags: tagList,
    pricing_tier: optionalText(50),
    tax_rate: z
      .string()
      .trim()
      .optional()
      .transform((v, ctx) => {
        if (!v) return null
        const n = Number(v.replace(/%$/, ''))
        if (!Number.isFinite(n) || n < 0 || n > 100) {
          ctx.addIssue({ code: 'custom', message: 'Enter a percentage from 0 to 100, like 8.25.' })
          return z.NEVER
        }
        return Math.round(n * 100) / 10_000
      }),
  }),
  (v) => ({ status: v.status, tags: v.tags, settings: { pricing_tier: v.pricing_tier ?? null, tax_rate: v.tax_rate } }),
  patchClientSchema,
)

const noteForm = intoApi(
  z.object({ note: text(10_000, 'Write the note first.') }),
  (v) => ({ notes: v.note }),
  patchClientSchema,
)

/** The contact fields as typed; blank ones are undefined (the handler decides what a blank means). */
const contactForm = intoApi(
  z.object({
    first_name: optionalText(100),
    last_name: optionalText(100),
    email: optionalEmail,
    phone: optionalText(40),
  }),
  (v) => v,
  patchClientSchema.pick({ first_name: true, last_name: true, email: true, phone: true }),
)

/** An address, all of it, as the API takes one. */
const addressForm = intoApi(
  z.object({
    label: optionalText(60),
    address1: text(200, 'Enter the street address.'),
    address2: optionalText(200),
    city: text(100, 'Enter the city.'),
    state: text(100, 'Enter the state.'),
    postal: text(20, 'Enter the ZIP code.'),
  }),
  (v) => v,
  addressSchema,
)

/** The three channels as ticked, and why they change; the API's consent change. */
const consentForm = intoApi(
  z.object({
    sms_opt_in: checkbox,
    email_opt_in: checkbox,
    marketing_email_opt_in: checkbox,
    reason: z
      .string({ message: 'Say why, so the team knows later.' })
      .trim()
      .min(1, 'Say why, so the team knows later.')
      .transform((v) => v.slice(0, 300)),
  }),
  (v) => v,
  consentPatch,
)

/** The new-client form again, filled in, with errors beside the fields: a fragment for htmx, else the page. */
function newClientInvalid(c: Context<AppEnv>, values: FormValues, errors: FormErrors) {
  c.status(422)
  return isHtmx(c)
    ? fragment(c, <NewClientForm values={values} errors={errors} />)
    : c.render(<NewClientPage values={values} errors={errors} />, page('New client'))
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
  return {
    client,
    contact,
    consent,
    jobs: items,
    invoices,
    timeline: timeline ?? [],
    homeowner,
    addresses: addresses ?? [],
  }
}

/** The client page, with whatever came back (a form with errors, a notice), with `status`. */
async function clientPage(
  c: Context<AppEnv>,
  id: string,
  extra: Partial<ClientPageProps> = {},
  status: 200 | 409 | 422 = 200,
) {
  const data = await clientPageData(c, id)
  c.status(status)
  return c.render(<ClientPage {...data} {...extra} />, page(personName(data.client)))
}

/** The list's rows for htmx (search, filters, "show more"), the whole page otherwise; caches must keep them apart. */
async function clientList(c: Context<AppEnv>, filters: ClientFilters & { cursor?: string }, rowsOnly: boolean) {
  const list = await c.get('org').listClients({ ...filters, limit: 50 })
  c.header('Vary', 'HX-Request')
  const { cursor: _, ...shown } = filters
  if (rowsOnly) return c.html(<ClientRows items={list.items} nextCursor={list.next_cursor} filters={shown} />)
  return c.render(<ClientsPage filters={shown} items={list.items} nextCursor={list.next_cursor} />, page('Clients'))
}

/** The client and its card, or a 404 for an id this organization does not hold. */
async function clientAndCard(c: Context<AppEnv>, id: string) {
  const client = await c.get('org').getClient(id)
  if (!client) throw notFound('client')
  return { client, card: await c.get('org').getPersonCard(client.person_id) }
}

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

/** The properties card (with the timeline after a change); on failure the form or error in place with `status`. */
async function properties(
  c: Context<AppEnv>,
  id: string,
  state: { editing?: AddressEditing; notice?: string; error?: string },
  status: 200 | 409 | 422 = 200,
) {
  const addresses = await c.get('org').listAddresses(id)
  if (!addresses) throw notFound('client')
  if (!isHtmx(c)) {
    if (status === 200 && !state.editing) return c.redirect(`/app/clients/${id}`, 303)
    return clientPage(c, id, { addressEdit: state.editing, notice: state.error }, status)
  }
  const card = <Properties clientId={id} addresses={addresses} {...state} />
  return state.notice ? withTimeline(c, id, card) : fragment(c, card, status)
}

/** The address form again, in place, with errors beside the fields: the add form, or the address being changed. */
const addressInvalid = (c: Context<AppEnv>, values: FormValues, errors: FormErrors) =>
  properties(c, c.req.param('id')!, { editing: { id: c.req.param('address') ?? 'new', values, errors } }, 422)

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
  .get(`/:id{${ID}}/addresses`, async (c) => properties(c, c.req.param('id'), {}))
  .get(`/:id{${ID}}/addresses/:address{${ID}}/edit`, async (c) => {
    const { id, address } = c.req.param()
    const found = (await c.get('org').listAddresses(id))?.find((a) => a.id === address)
    if (!found) throw notFound('address')
    const values = {
      label: found.label ?? '',
      address1: found.address1,
      address2: found.address2 ?? '',
      city: found.city,
      state: found.state,
      postal: found.postal,
    }
    return properties(c, id, { editing: { id: address, values, errors: {} } }, 200)
  })
  .post(`/:id{${ID}}/addresses`, formBody(addressForm, addressInvalid), async (c) => {
    const id = c.req.param('id')
    unwrap(
      await c
        .get('org')
        .addAddress(id, { ...c.req.valid('form'), country: c.get('organization').country }, authorOf(c.get('session'))),
    )
    return properties(c, id, { notice: 'Address added.' })
  })
  .post(`/:id{${ID}}/addresses/:address{${ID}}`, formBody(addressForm, addressInvalid), async (c) => {
    const { id, address: addressId } = c.req.param()
    const address = c.req.valid('form')
    const patch = { ...address, label: address.label ?? null, address2: address.address2 ?? null }
    unwrap(await c.get('org').changeAddress(id, addressId, patch, authorOf(c.get('session'))))
    return properties(c, id, { notice: 'Address saved.' })
  })
  .post(`/:id{${ID}}/addresses/:address{${ID}}/default`, async (c) => {
    const { id, address } = c.req.param()
    return addressConflict(
      c,
      id,
      async () =>
        unwrap(await c.get('org').changeAddress(id, address, { is_default: true }, authorOf(c.get('session')))),
      'Default address changed.',
    )
  })
  .post(`/:id{${ID}}/addresses/:address{${ID}}/remove`, async (c) => {
    const { id, address } = c.req.param()
    return addressConflict(
      c,
      id,
      async () => unwrap(await c.get('org').removeAddress(id, address, authorOf(c.get('session')))),
      'Address removed.',
    )
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
  .get('/new', (c) => c.render(<NewClientPage values={{ status: 'active' }} errors={{}} />, page('New client')))
  .post('/', formBody(newClientForm, newClientInvalid, { rules: newClientRules }), async (c) => {
    let created: Awaited<ReturnType<typeof createClient>>
    try {
      created = await createClient(c.env, c.get('organization'), c.req.valid('form'), authorOf(c.get('session')))
    } catch (error) {
      if (error instanceof AppError && error.issues)
        return newClientInvalid(
          c,
          await formStrings(c),
          fieldErrors(error.issues.map((i) => ({ path: i.path.split('.'), message: i.message }))),
        )
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
    const notice = c.req.query('existing')
      ? 'This person was already your client, so nothing new was added.'
      : undefined
    return clientPage(c, c.req.param('id'), { notice })
  })
  .post(
    `/:id{${ID}}/details`,
    formBody(detailsForm, async (c, values, errors) => {
      const id = c.req.param('id')!
      if (!isHtmx(c)) return clientPage(c, id, { details: { values, errors } }, 422)
      const { client } = await clientAndCard(c, id)
      return fragment(c, <PrivateDetails client={client} values={values} errors={errors} />, 422)
    }),
    async (c) => {
      const id = c.req.param('id')
      const client = unwrap(await c.get('org').updateClient(id, c.req.valid('form')))
      if (!isHtmx(c)) return c.redirect(`/app/clients/${id}`, 303)
      return withTimeline(c, id, <PrivateDetails client={client} notice="Saved." />)
    },
  )
  .post(
    `/:id{${ID}}/notes`,
    formBody(
      noteForm,
      async (c, _values, errors) => {
        const id = c.req.param('id')!
        const note = { error: errors['note'] }
        if (!isHtmx(c)) return clientPage(c, id, { note }, 422)
        const { client } = await clientAndCard(c, id)
        return fragment(c, <Notes client={client} {...note} />, 422)
      },
      { fields: { notes: 'note' } },
    ),
    async (c) => {
      const id = c.req.param('id')
      const client = unwrap(
        await c.get('org').updateClient(id, { ...c.req.valid('form'), author: c.get('session')!.email }),
      )
      if (!isHtmx(c)) return c.redirect(`/app/clients/${id}`, 303)
      return withTimeline(c, id, <Notes client={client} />)
    },
  )

export const consentRoutes = new Hono<AppEnv>().post(
  `/:id{${ID}}/consents`,
  formBody(consentForm, async (c, _values, errors) => {
    const { client } = await clientAndCard(c, c.req.param('id')!)
    const consent = await consentFor(peopleDb(c.env.PEOPLE), targetOf(client), c.get('organization').id)
    return fragment(c, <ConsentCard clientId={client.org_client_id} consent={consent} error={errors['reason']} />, 422)
  }),
  async (c) => {
    const id = c.req.param('id')
    const { client } = await clientAndCard(c, id)
    const { reason, ...wanted } = c.req.valid('form')
    const { organization, email } = c.get('session')!
    const db = peopleDb(c.env.PEOPLE)
    // Only the channels staff changed count as the client's choice; the form always carries all three.
    const current = await consentFor(db, targetOf(client), organization.id)
    const change = Object.fromEntries(
      (['sms_opt_in', 'email_opt_in', 'marketing_email_opt_in'] as const)
        .filter((k) => wanted[k] !== undefined && wanted[k] !== current[k])
        .map((k) => [k, wanted[k]]),
    )
    const consent = await setConsent(db, targetOf(client), organization.id, change, `${reason} (${email})`)
    await c.get('org').recordConsentChange(id, consent, reason, email)
    if (!isHtmx(c)) return c.redirect(`/app/clients/${id}`, 303)
    return withTimeline(c, id, <ConsentCard clientId={id} consent={consent} notice="Saved." />)
  },
)

/** A changed fragment plus the client's timeline, which every change adds to. */
async function withTimeline(c: Context<AppEnv>, id: string, changed: Child) {
  const view = await c.get('org').timelineWithCard(id)
  return fragment(
    c,
    <>
      {changed}
      <hx-partial hx-target="#timeline" hx-swap="outerHTML">
        <Timeline
          items={view?.items ?? []}
          tz={c.get('organization').timezone}
          revert={{ clientId: id, card: view?.card ?? null }}
        />
      </hx-partial>
    </>,
  )
}
