/** Logging a call on a client's page (POST /app/clients/{id}/calls): who called, how long, how it went, notes. */
import { type Context, Hono } from 'hono'
import type { FormErrors, FormValues } from '../../../../views/fields'
import { ActivitiesCard } from '../../../../views/leads/activities'
import { fragment } from '../../../../views/layout'
import type { AppEnv } from '../../../env'
import { notFound } from '../../../errors'
import { sales } from '../../../sales/remote'
import { fieldErrors, formBody, formStrings, ID, isHtmx } from '../forms'
import { callForm } from '../leads/call-form'
import { clientPage, withTimeline } from './render'

/** The Activities card with the call form as it came back (a fragment for htmx, else the client page). */
async function refused(c: Context<AppEnv>, id: string, values: FormValues, errors: FormErrors) {
  if (!isHtmx(c)) return clientPage(c, id, { call: { values, errors } }, 422)
  return fragment(c, await card(c, id, { values, errors }), 422)
}

async function card(
  c: Context<AppEnv>,
  id: string,
  said: { values?: FormValues; errors?: FormErrors; notice?: string },
) {
  const leads = sales(c.get('org')).leads
  const [items, types] = await Promise.all([leads.activitiesOf({ org_client_id: id }), leads.activityTypes()])
  if (!items) throw notFound('client')
  return (
    <ActivitiesCard
      action={`/app/clients/${id}/activities`}
      items={items}
      types={types}
      tz={c.get('organization').timezone}
      notice={said.notice}
      call={{ action: `/app/clients/${id}/calls`, values: said.values, errors: said.errors }}
    />
  )
}

export const callPages = new Hono<AppEnv>().post(
  `/:id{${ID}}/calls`,
  formBody(callForm, (c, values, errors) => refused(c, c.req.param('id')!, values, errors)),
  async (c) => {
    const id = c.req.param('id')
    const result = await sales(c.get('org')).calls.logCall(
      { org_client_id: id },
      { ...c.req.valid('form'), author_id: c.get('session')!.accountId },
    )
    if (!result.ok) {
      if (result.error.status === 404) throw notFound('client')
      const issues = result.error.issues?.map((i) => ({ path: i.path.split('.'), message: i.message }))
      return refused(c, id, await formStrings(c), issues ? fieldErrors(issues) : { form: result.error.message })
    }
    if (!isHtmx(c)) return c.redirect(`/app/clients/${id}#activities`, 303)
    // The call is on the timeline too: both cards come back.
    return withTimeline(c, id, await card(c, id, { notice: 'Call logged.' }))
  },
)
