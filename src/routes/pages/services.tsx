/**
 * /app/services: what the business offers, in its order. Add, edit, archive, restore and move up
 * or down; every change answers with the whole section for htmx, else goes back to the page. A
 * name the business already has (ignoring case and spaces) is asked about before it is saved.
 */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { nameKey, type Service } from '../../../durable-objects/org/crm/services'
import { unwrap } from '../../../durable-objects/org/result'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import type { FormErrors, FormValues } from '../../../views/fields'
import { fragment } from '../../../views/layout'
import { ServicesPage, ServicesSection, type ServicesProps } from '../../../views/services'
import { serviceSchema, servicePatch } from '../api/services'
import { type FormRules, formBody, ID, intoApi, isHtmx, optionalDollars, optionalMinutes, text } from './forms'

const PAGE = { title: 'Services', active: 'services' } as const

const fields = z.object({
  name: text(120, 'Name the service.'),
  duration_minutes: optionalMinutes,
  price: optionalDollars,
})

/** The add form in dollars and minutes, read into the API's service. */
const serviceForm = intoApi(
  fields,
  (v) => ({ name: v.name, duration_minutes: v.duration_minutes, price_cents: v.price }),
  serviceSchema,
)

/** The edit form: an emptied length or price is cleared. */
const editForm = intoApi(
  fields,
  (v) => ({ name: v.name, duration_minutes: v.duration_minutes ?? null, price_cents: v.price ?? null }),
  servicePatch.pick({ name: true, duration_minutes: true, price_cents: true }),
)

const moveForm = z.object({ direction: z.enum(['up', 'down']) })

/** Every service, active ones in order and archived ones apart. */
async function lists(c: Context<AppEnv>): Promise<Pick<ServicesProps, 'services' | 'archived'>> {
  const all = await c.get('org').listServices({ include_archived: true })
  return { services: all.filter((s) => s.active), archived: all.filter((s) => !s.active) }
}

/** The section (htmx) or the page, with `extra` state. */
async function answer(c: Context<AppEnv>, extra: Partial<ServicesProps> = {}, status: 200 | 201 | 422 = 200) {
  const props = { ...(await lists(c)), ...extra }
  c.status(status)
  return isHtmx(c) ? fragment(c, <ServicesSection {...props} />) : c.render(<ServicesPage {...props} />, PAGE)
}

/** After a change: the section with a notice for htmx, else back to the page. */
async function changed(c: Context<AppEnv>, notice: string, status: 200 | 201 = 200) {
  if (!isHtmx(c)) return c.redirect('/app/services', 303)
  return answer(c, { notice }, status)
}

/** Another service already has this name (any case, any spacing): asked once, unless "Save it anyway" is ticked. */
const duplicateRule: FormRules = async (values, c) => {
  if (values['allow_duplicate'] || !values['name']?.trim()) return {}
  const own = c.req.param('id')
  const key = nameKey(values['name'])
  const same = (await c.get('org').listServices({ include_archived: true })).find(
    (s) => s.id !== own && nameKey(s.name) === key,
  )
  if (!same) return {}
  return {
    allow_duplicate: same.active
      ? `You already have “${same.name}”. Save another service with this name?`
      : `“${same.name}” is archived: restore it instead, or save a new one with this name?`,
  }
}

/** The service of the route's id among the business's own, or a 404. */
async function serviceOf(c: Context<AppEnv>): Promise<Service> {
  const id = c.req.param('id')
  const found = (await c.get('org').listServices({ include_archived: true })).find((s) => s.id === id)
  if (!found) throw notFound('service')
  return found
}

const addInvalid = (c: Context<AppEnv>, values: FormValues, errors: FormErrors) => answer(c, { values, errors }, 422)
const editInvalid = (c: Context<AppEnv>, values: FormValues, errors: FormErrors) =>
  answer(c, { editing: { id: c.req.param('id')!, values, errors } }, 422)

export const servicesPages = new Hono<AppEnv>()
  .get('/', (c) => answer(c))
  .post(
    '/',
    formBody(serviceForm, addInvalid, { fields: { price_cents: 'price' }, rules: duplicateRule }),
    async (c) => {
      const service = c.req.valid('form')
      await c.get('org').createService(service)
      return changed(c, `Added ${service.name}.`, 201)
    },
  )
  .get(`/:id{${ID}}/edit`, async (c) => answer(c, { editing: { id: (await serviceOf(c)).id } }))
  .post(
    `/:id{${ID}}`,
    formBody(editForm, editInvalid, { fields: { price_cents: 'price' }, rules: duplicateRule }),
    async (c) => {
      const saved = unwrap(await c.get('org').updateService(c.req.param('id'), c.req.valid('form')))
      return changed(c, `Saved ${saved.name}.`)
    },
  )
  .post(`/:id{${ID}}/archive`, async (c) => {
    const saved = unwrap(await c.get('org').updateService(c.req.param('id'), { active: false }))
    return changed(c, `Archived ${saved.name}. Past jobs and invoices keep it.`)
  })
  .post(`/:id{${ID}}/restore`, async (c) => {
    const saved = unwrap(await c.get('org').updateService(c.req.param('id'), { active: true }))
    return changed(c, `Restored ${saved.name}.`)
  })
  .post(
    `/:id{${ID}}/move`,
    formBody(moveForm, () => {
      throw notFound('service')
    }),
    async (c) => {
      const service = await serviceOf(c)
      // Its place among the active services, as the list shows them (stored positions may tie).
      const { services } = await lists(c)
      const at = services.findIndex((s) => s.id === service.id)
      const up = c.req.valid('form').direction === 'up'
      unwrap(await c.get('org').updateService(service.id, { position: Math.max(0, at + (up ? -1 : 1)) }))
      return changed(c, `Moved ${service.name} ${up ? 'up' : 'down'}.`)
    },
  )
