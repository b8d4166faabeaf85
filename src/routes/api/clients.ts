/** /api/v1/clients: an organization's clients, their card's contact fields and addresses. */
import { Hono, type Context } from 'hono'
import { taxRate } from './organization'
import { z } from 'zod'
import type { ClientDetail } from '../../../durable-objects/org/crm/clients'
import { unwrap } from '../../../durable-objects/org/result'
import { CLIENT_STATUSES } from '../../../durable-objects/org/crm/statuses'
import { authorOf, changeClientContact, type Author } from '../../clients/intake'
import { addressSchema, createClient, createClientSchema } from '../../clients/service'
import { peopleDb } from '../../db'
import type { AppEnv, Env } from '../../env'
import { notFound } from '../../errors'
import { customFields } from '../../http/schemas'
import { jsonBody, queryParams } from '../../http/validate'
import type { Organization } from '../../organizations'
import { consentFor, targetOf } from '../../people/consent'
import { countryField, emailField } from '../../people/normalize'
import { requirePhone } from '../../people/service'
import { sales } from '../../sales/remote'
import { cardsOf } from '../../clients/remote'

const listQuery = z.object({
  q: z.string().max(100).optional(),
  status: z.enum(CLIENT_STATUSES).optional(),
  tag: z.string().min(1).max(50).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
})

export const patchClientSchema = z.object({
  status: z.enum(CLIENT_STATUSES).optional(),
  tags: z.array(z.string().max(50)).max(50).optional(),
  notes: z.string().trim().min(1).max(10_000).optional(),
  settings: z
    .object({
      pricing_tier: z.string().trim().max(50).nullable().optional(),
      /** Percent, 0–30, like 10.25: charged on taxable invoice lines instead of the business's default. */
      tax_rate: taxRate.nullable().optional(),
      custom_fields: customFields.optional(),
    })
    .optional(),
  first_name: z.string().trim().min(1).max(100).optional(),
  last_name: z.string().trim().max(100).optional(),
  email: emailField.optional(),
  phone: z.string().max(40).optional(),
  /** The commercial account the client is a contact of; null takes it off its account. */
  account_id: z.string().min(1).max(100).nullable().optional(),
})

export type ClientEdit = z.output<typeof patchClientSchema>

const newAddressSchema = addressSchema.extend({ is_default: z.boolean().optional() })

const addressPatchSchema = z.object({
  label: z.string().trim().max(60).nullable().optional(),
  address1: z.string().trim().min(1).max(200).optional(),
  address2: z.string().trim().max(200).nullable().optional(),
  city: z.string().trim().min(1).max(100).optional(),
  state: z.string().trim().min(1).max(100).optional(),
  postal: z.string().trim().min(1).max(20).optional(),
  country: countryField.optional(),
  is_default: z.boolean().optional(),
})

/**
 * One PATCH of a client: every field is read first (an unparseable phone is a 400 before anything
 * is written), then the card's contact fields change through the one contact path, then the
 * business's private fields. Another business's id is a 404 with nothing written.
 */
export async function editClient(
  env: Env,
  organization: Organization,
  org: AppEnv['Variables']['org'],
  id: string,
  edit: ClientEdit,
  author: Author,
): Promise<ClientDetail> {
  const { first_name, last_name, email, phone, account_id, ...rest } = edit
  // Moving the client between accounts comes first: another business's account is a 404 with nothing written.
  if (account_id !== undefined) unwrap(await sales(org).accounts.setClientAccount(id, account_id, true))
  const contact = {
    ...(first_name !== undefined ? { first_name } : {}),
    ...(last_name !== undefined ? { last_name } : {}),
    ...(email !== undefined ? { email } : {}),
    ...(phone !== undefined ? { phone: requirePhone(phone, organization.country, 'phone') } : {}),
  }
  if (Object.keys(contact).length > 0)
    await changeClientContact(env, organization, { org_client_id: id }, contact, author)
  if (Object.values(rest).some((v) => v !== undefined)) return unwrap(await org.updateClient(id, rest))
  const client = await org.getClient(id)
  if (!client) throw notFound('client')
  return client
}

/** The client as GET answers it: the detail plus this business's consent for the card's phone and email. */
async function clientBody(c: Context<AppEnv>, client: ClientDetail) {
  const consents = await consentFor(peopleDb(c.env.PEOPLE), targetOf(client), c.get('organization').id)
  return { ...client, consents }
}

export const clientsApi = new Hono<AppEnv>()
  .post('/', jsonBody(createClientSchema), async (c) => {
    const result = await createClient(c.env, c.get('organization'), c.req.valid('json'))
    return c.json(result, result.created ? 201 : 200)
  })
  .get('/', queryParams(listQuery), async (c) => c.json(await c.get('org').listClients(c.req.valid('query'))))
  .get('/:id', async (c) => {
    const client = await c.get('org').getClient(c.req.param('id'))
    if (!client) throw notFound('client')
    return c.json(await clientBody(c, client))
  })
  .patch('/:id', jsonBody(patchClientSchema), async (c) => {
    const client = await editClient(
      c.env,
      c.get('organization'),
      c.get('org'),
      c.req.param('id'),
      c.req.valid('json'),
      authorOf(c.get('session')),
    )
    return c.json(await clientBody(c, client))
  })
  .post('/:id/changes/:event_id/revert', async (c) => {
    const id = c.req.param('id')
    const reverted = unwrap(
      await c.get('org').revertContactChange(id, c.req.param('event_id'), authorOf(c.get('session'))),
    )
    if (reverted === null) throw notFound('change')
    const client = await c.get('org').getClient(id)
    if (!client) throw notFound('client')
    return c.json(await clientBody(c, client))
  })
  .post('/:id/addresses', jsonBody(newAddressSchema), async (c) => {
    const input = c.req.valid('json')
    const address = unwrap(
      await c
        .get('org')
        .addAddress(
          c.req.param('id'),
          { ...input, country: input.country ?? c.get('organization').country },
          authorOf(c.get('session')),
        ),
    )
    return c.json({ address_id: address.id, address }, 201)
  })
  .patch('/:id/addresses/:address_id', jsonBody(addressPatchSchema), async (c) => {
    const { id, address_id } = c.req.param()
    return c.json(
      unwrap(await c.get('org').changeAddress(id, address_id, c.req.valid('json'), authorOf(c.get('session')))),
    )
  })
  .delete('/:id/addresses/:address_id', async (c) => {
    const { id, address_id } = c.req.param()
    return c.json(unwrap(await cardsOf(c.get('org')).removeAddress(id, address_id, authorOf(c.get('session')))))
  })
  .get('/:id/timeline', async (c) => {
    const items = await c.get('org').clientTimeline(c.req.param('id'))
    if (!items) throw notFound('client')
    return c.json({ items })
  })
