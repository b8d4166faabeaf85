/** The client's service addresses in place: the Properties card, and an address added, changed, made default, removed. */
import { type Context, Hono } from 'hono'
import { unwrap } from '../../../../durable-objects/org/result'
import { type AddressEditing, Properties } from '../../../../views/clients/addresses'
import type { FormErrors, FormValues } from '../../../../views/fields'
import { fragment } from '../../../../views/layout'
import { authorOf } from '../../../clients/intake'
import type { AppEnv } from '../../../env'
import { AppError, notFound } from '../../../errors'
import { formBody, ID, isHtmx } from '../forms'
import { addressForm } from './forms'
import { clientPage, withTimeline } from './render'
import { cardsOf } from '../../../clients/remote'

/** The properties card (with the timeline after a change); on failure the form or error in place with `status`. */
async function properties(
  c: Context<AppEnv>,
  id: string,
  state: { editing?: AddressEditing; notice?: string; error?: string },
  status: 200 | 409 | 422 = 200,
) {
  const addresses = await cardsOf(c.get('org')).listAddresses(id)
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

/** The properties card's routes: the card, an address's form, and each change to an address. */
export const addressPages = new Hono<AppEnv>()
  .get(`/:id{${ID}}/addresses`, async (c) => properties(c, c.req.param('id'), {}))
  .get(`/:id{${ID}}/addresses/:address{${ID}}/edit`, async (c) => {
    const { id, address } = c.req.param()
    const found = (await cardsOf(c.get('org')).listAddresses(id))?.find((a) => a.id === address)
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
      async () => unwrap(await cardsOf(c.get('org')).removeAddress(id, address, authorOf(c.get('session')))),
      'Address removed.',
    )
  })
