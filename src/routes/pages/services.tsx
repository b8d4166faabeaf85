/** /app/services: what the business offers, and a form to add a service. */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../../env'
import type { FormErrors, FormValues } from '../../../views/fields'
import { ServicesPage, ServicesSection } from '../../../views/services'
import { formBody, isHtmx, optionalDollars, optionalMinutes, text } from './forms'

const serviceForm = z.object({
  name: text(120, 'Name the service.'),
  duration_minutes: optionalMinutes,
  price: optionalDollars,
})

/** The list and the form again, filled in, with errors beside the fields. */
async function serviceInvalid(c: Context<AppEnv>, values: FormValues, errors: FormErrors) {
  const props = { session: c.get('session')!, services: await c.get('org').listServices(), values, errors }
  return c.html(isHtmx(c) ? <ServicesSection {...props} /> : <ServicesPage {...props} />, 422)
}

export const servicesPages = new Hono<AppEnv>()
  .get('/', async (c) => c.html(<ServicesPage session={c.get('session')!} services={await c.get('org').listServices()} />))
  .post('/', formBody(serviceForm, serviceInvalid), async (c) => {
    const v = c.req.valid('form')
    const org = c.get('org')
    await org.createService({ name: v.name, duration_minutes: v.duration_minutes, price_cents: v.price })
    if (!isHtmx(c)) return c.redirect('/app/services', 303)
    return c.html(<ServicesSection session={c.get('session')!} services={await org.listServices()} notice={`Added ${v.name}.`} />, 201)
  })
