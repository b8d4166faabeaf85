/** /app/services: what the business offers, and a form to add a service. */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../../env'
import type { FormErrors, FormValues } from '../../../views/fields'
import { fragment } from '../../../views/layout'
import { ServicesPage, ServicesSection } from '../../../views/services'
import { serviceSchema } from '../api/services'
import { formBody, intoApi, isHtmx, optionalDollars, optionalMinutes, text } from './forms'

const PAGE = { title: 'Services', active: 'services' } as const

/** The form in dollars and minutes, read into the API's service. */
const serviceForm = intoApi(
  z.object({ name: text(120, 'Name the service.'), duration_minutes: optionalMinutes, price: optionalDollars }),
  (v) => ({ name: v.name, duration_minutes: v.duration_minutes, price_cents: v.price }),
  serviceSchema,
)

/** The list and the form again, filled in, with errors beside the fields. */
async function serviceInvalid(c: Context<AppEnv>, values: FormValues, errors: FormErrors) {
  const props = { services: await c.get('org').listServices(), values, errors }
  c.status(422)
  return isHtmx(c) ? fragment(c, <ServicesSection {...props} />) : c.render(<ServicesPage {...props} />, PAGE)
}

export const servicesPages = new Hono<AppEnv>()
  .get('/', async (c) => c.render(<ServicesPage services={await c.get('org').listServices()} />, PAGE))
  .post('/', formBody(serviceForm, serviceInvalid, { fields: { price_cents: 'price' } }), async (c) => {
    const service = c.req.valid('form')
    const org = c.get('org')
    await org.createService(service)
    if (!isHtmx(c)) return c.redirect('/app/services', 303)
    return fragment(c, <ServicesSection services={await org.listServices()} notice={`Added ${service.name}.`} />, 201)
  })
