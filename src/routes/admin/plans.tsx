/** /admin/plans: the plans table, each row a form an operator saves (a refused row comes back with its errors beside its fields). */
import { type Context, Hono } from 'hono'
import { PlanRowForm, PlansPage } from '../../../views/admin/plans'
import type { FormErrors, FormValues } from '../../../views/fields'
import { fragment } from '../../../views/layout'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { planForm, plansWithCounts, syncBusinessesOnPlan, updatePlan } from '../../platform/plan-settings'
import { formBody, formStrings, isHtmx } from '../pages/forms'

/** The plan's row again with what was typed and each error beside its field (422); the whole page without htmx. */
async function refused(c: Context<AppEnv>, values: FormValues, errors: FormErrors) {
  const planId = c.req.param('id') ?? ''
  const plans = await plansWithCounts(peopleDb(c.env.PEOPLE))
  const plan = plans.find((p) => p.plan_id === planId)
  if (!plan) throw notFound('plan')
  c.status(422)
  if (isHtmx(c)) return fragment(c, <PlanRowForm plan={plan} values={values} errors={errors} />, 422)
  return c.render(<PlansPage plans={plans} failed={{ planId, values, errors }} />, { title: 'Plans' })
}

export const adminPlansPages = new Hono<AppEnv>()
  .get('/', async (c) =>
    c.render(<PlansPage plans={await plansWithCounts(peopleDb(c.env.PEOPLE))} />, { title: 'Plans' }),
  )
  .post('/:id', formBody(planForm, refused), async (c) => {
    const db = peopleDb(c.env.PEOPLE)
    const id = c.req.param('id')
    const saved = await updatePlan(db, id, c.req.valid('form'))
    if (!saved) throw notFound('plan')
    if (!saved.ok) {
      const { _csrf: _, ...values } = await formStrings(c)
      return refused(c, values, saved.errors)
    }
    // The businesses on it hold its new limits from now on (told through the events queue).
    await syncBusinessesOnPlan(c.env, id)
    if (!isHtmx(c)) return c.redirect(`/admin/plans#plan-row-${id}`, 303)
    const plan = (await plansWithCounts(db)).find((p) => p.plan_id === id)!
    return fragment(c, <PlanRowForm plan={plan} saved />)
  })
