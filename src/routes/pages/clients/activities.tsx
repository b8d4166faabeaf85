/** Logging a call, note, meeting, email or text on a client's page (POST /app/clients/{id}/activities). */
import { type Context, Hono } from 'hono'
import type { FormErrors, FormValues } from '../../../../views/fields'
import { ActivitiesCard } from '../../../../views/leads/activities'
import { fragment } from '../../../../views/layout'
import type { AppEnv } from '../../../env'
import { notFound } from '../../../errors'
import { sales } from '../../../sales/remote'
import { fieldErrors, formBody, formStrings, ID, isHtmx } from '../forms'
import { activityForm } from '../leads/forms'
import { clientPage } from './render'

/** The Activities card again (a fragment for htmx, else the client page), with errors or a notice. */
async function answer(
  c: Context<AppEnv>,
  id: string,
  said: { values?: FormValues; errors?: FormErrors; notice?: string },
  status: 200 | 422 = 200,
) {
  if (!isHtmx(c))
    return clientPage(c, id, { activity: { values: said.values ?? {}, errors: said.errors ?? {} } }, status)
  const leads = sales(c.get('org')).leads
  const [items, types] = await Promise.all([leads.activitiesOf({ org_client_id: id }), leads.activityTypes()])
  if (!items) throw notFound('client')
  return fragment(
    c,
    <ActivitiesCard
      action={`/app/clients/${id}/activities`}
      items={items}
      types={types}
      tz={c.get('organization').timezone}
      {...said}
    />,
    status,
  )
}

export const activityPages = new Hono<AppEnv>().post(
  `/:id{${ID}}/activities`,
  formBody(activityForm, (c, values, errors) => answer(c, c.req.param('id')!, { values, errors }, 422)),
  async (c) => {
    const id = c.req.param('id')
    const result = await sales(c.get('org')).leads.addActivity(
      { org_client_id: id },
      { ...c.req.valid('form'), author_id: c.get('session')!.accountId },
    )
    if (!result.ok) {
      if (result.error.status === 404) throw notFound('client')
      const issues = result.error.issues?.map((i) => ({ path: i.path.split('.'), message: i.message }))
      const errors = issues ? fieldErrors(issues) : { form: result.error.message }
      return answer(c, id, { values: await formStrings(c), errors }, 422)
    }
    if (!isHtmx(c)) return c.redirect(`/app/clients/${id}#activities`, 303)
    return answer(c, id, { notice: 'Logged.' })
  },
)
