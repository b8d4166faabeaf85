/**
 * /app/jobs: booking a job (existing or new client, once or repeating, with a crew and an overlap
 * warning) and a job's page: on my way, reschedule, complete (with undo), cancel, edit, line items.
 */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { Job, JobPatch } from '../../../durable-objects/org/crm/jobs'
import { unwrap, type Result } from '../../../durable-objects/org/result'
import type { AppEnv } from '../../env'
import { AppError, notFound } from '../../errors'
import { createJobWithCrm } from '../../integrations/booking'
import { authorOf } from '../../clients/intake'
import { addDays, isClockTime, localDate, zonedTimeToUtc } from '../../time'
import type { FormErrors, FormValues } from '../../../views/fields'
import { dateTime } from '../../../views/format'
import { JobPage, NewJobForm, NewJobPage } from '../../../views/jobs'
import { fragment } from '../../../views/layout'
import { jobPatch, PAST_MESSAGE } from '../api/jobs'
import { crmChoices } from './jobs/crm-choices'
import { checkbox, fieldErrors, formBody, formStrings, ID, intoApi, isHtmx, localDateTime, queryDate } from './forms'
import { pickerClients } from './lookups'
import { jobCompletionPages } from './jobs/completion'
import { siteChoices } from '../../sales/account-sites'
import { jobConflictPages } from './jobs/conflicts'
import { DONE, jobAnswer, jobDetail, linesCard, page, teamOf } from './jobs/detail'
import { jobEditPages } from './jobs/edit'
import { jobLinesPages } from './jobs/lines'
import { jobOnMyWayPages, onMyWaySaid } from './jobs/on-my-way'
import { JOB_FIELDS, newJobForm, newJobRules } from './jobs/booking-form'

/** The new time in the business's zone, as the API's job change. */
const rescheduleForm = (c: Context<AppEnv>) =>
  intoApi(
    z.object({ start: localDateTime, allow_past: checkbox }),
    (v) => ({
      start_at: zonedTimeToUtc(v.start.date, v.start.time, c.get('organization').timezone).toISOString(),
      ...(v.allow_past ? { allow_past: true } : {}),
    }),
    jobPatch,
  )

/** The booking form again, filled in, with errors beside the fields. */
async function newJobInvalid(c: Context<AppEnv>, values: FormValues, errors: FormErrors) {
  const [clients, services, team, sites, crm] = await Promise.all([
    pickerClients(c, values['org_client_id']),
    c.get('org').listServices(),
    teamOf(c),
    siteChoices(c, values['org_client_id']),
    crmChoices(c),
  ])
  const props = { clients, services, team, sites, crm, values, errors }
  c.status(422)
  return isHtmx(c) ? fragment(c, <NewJobForm {...props} />) : c.render(<NewJobPage {...props} />, page('New job'))
}

/** Applies a change to a job and answers with its panel: the notice on success, the reason when refused. */
async function changeJob(c: Context<AppEnv>, patch: JobPatch, notice: (job: Job) => string | undefined) {
  const id = c.req.param('id')!
  const result: Result<Job> = await c.get('org').updateJob(id, patch)
  if (!result.ok && result.error.status === 404) unwrap(result)
  if (result.ok && !isHtmx(c)) return c.redirect(`/app/jobs/${id}`, 303)
  const item = await jobDetail(c, await c.get('org').getJob(id))
  if (result.ok) return jobAnswer(c, item, { notice: notice(result.value) })
  return jobAnswer(c, item, { error: result.error.message }, result.error.status === 409 ? 409 : 422)
}

/** Cancels a visit of a series and every later one (`scope=following`). */
async function cancelFollowing(c: Context<AppEnv>) {
  const id = c.req.param('id')!
  const org = c.get('org')
  const job = await org.getJob(id)
  if (!job) throw notFound('job')
  if (!job.series_id)
    return changeJob(c, { status: 'cancelled' }, () => 'Job canceled. Its reminders will not be sent.')
  const result = await org.cancelSeries(job.series_id, id)
  if (!result.ok && result.error.status === 404) unwrap(result)
  if (result.ok && !isHtmx(c)) return c.redirect(`/app/jobs/${id}`, 303)
  const item = await jobDetail(c, await org.getJob(id))
  if (!result.ok) return jobAnswer(c, item, { error: result.error.message }, 409)
  const n = result.value.cancelled
  return jobAnswer(c, item, {
    notice: `Canceled ${n === 1 ? 'this visit' : `this visit and ${n - 1} after it`}. Their reminders will not be sent.`,
  })
}

export const jobsPages = new Hono<AppEnv>()
  .get('/new', async (c) => {
    const tz = c.get('organization').timezone
    const client = c.req.query('client') || undefined
    const day = queryDate(c, 'date') ?? addDays(localDate(new Date(), tz), 1)
    const [clients, services, team, sites, crm] = await Promise.all([
      pickerClients(c, client),
      c.get('org').listServices(),
      teamOf(c),
      siteChoices(c, client),
      crmChoices(c),
    ])
    // A free slot picked from the calendar or a CRM's availability comes with its time.
    const time = c.req.query('time')
    const at = time && isClockTime(time) ? time : '09:00'
    const site = c.req.query('site')
    const values = {
      start: `${day}T${at}`,
      org_client_id: client,
      ...(client ? { client_mode: 'existing' } : {}),
      ...(site && sites.some((s) => s.site_id === site) ? { site_id: site } : {}),
    }
    return c.render(
      <NewJobPage
        clients={clients}
        services={services}
        team={team}
        sites={sites}
        crm={crm}
        values={values}
        errors={{}}
      />,
      page('New job'),
    )
  })
  .post('/', formBody(newJobForm, newJobInvalid, { rules: newJobRules, fields: JOB_FIELDS }), async (c) => {
    const organization = c.get('organization')
    let job: Job
    try {
      job = (await createJobWithCrm(c.env, organization, c.req.valid('form'), authorOf(c.get('session')))).job
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error
      const errors = error.issues
        ? fieldErrors(
            error.issues.map((i) => ({ path: i.path.split('.'), message: i.message })),
            JOB_FIELDS,
          )
        : {
            [error.message.includes('service')
              ? 'service_id'
              : error.message.includes('integration')
                ? 'crm_job_type_id'
                : 'org_client_id']: `${error.message} Choose another.`,
          }
      return newJobInvalid(c, await formStrings(c), errors)
    }
    const url = `/app/schedule?week=${localDate(new Date(job.start_at), organization.timezone)}&booked=${job.id}`
    if (!isHtmx(c)) return c.redirect(url, 303)
    c.header('HX-Redirect', url)
    return c.body(null, 201)
  })
  .route('/', jobConflictPages)
  .get(`/:id{${ID}}`, async (c) => {
    const item = await jobDetail(c, await c.get('org').getJob(c.req.param('id')))
    if (item.onMyWay) item.onMyWay = { ...item.onMyWay, ...onMyWaySaid(c, item.clientName) }
    const done = c.req.query('done')
    const notice = done && Object.hasOwn(DONE, done) ? DONE[done as keyof typeof DONE] : undefined
    const lines = await linesCard(c, item.job, item.services)
    return c.render(<JobPage item={item} lines={lines} notice={notice} />, page('Job'))
  })
  .post(
    `/:id{${ID}}/reschedule`,
    formBody(
      rescheduleForm,
      async (c, values, errors) => {
        const item = await jobDetail(c, await c.get('org').getJob(c.req.param('id')!))
        // A time in the past is asked about, not just refused: staff may be recording a visit late.
        const past = errors['start'] === PAST_MESSAGE
        const error = past
          ? 'That time is in the past. Tick the box to move the visit there anyway.'
          : 'Pick the new date and time.'
        return jobAnswer(c, item, { error, ...(past ? { confirmPast: values['start'] } : {}) }, 422)
      },
      { fields: { start_at: 'start' } },
    ),
    async (c) => {
      const { start_at } = c.req.valid('form')
      const tz = c.get('organization').timezone
      return changeJob(
        c,
        { start_at },
        (job) => `Moved to ${dateTime(job.start_at, tz)}. Reminders follow the new time.`,
      )
    },
  )
  .post(`/:id{${ID}}/cancel`, async (c) =>
    (await formStrings(c))['scope'] === 'following'
      ? cancelFollowing(c)
      : changeJob(c, { status: 'cancelled' }, () => 'Job canceled. Its reminders will not be sent.'),
  )
  // "Completed · Undo" on the panel says it; no notice on top of it.
  .post(`/:id{${ID}}/complete`, async (c) => changeJob(c, { status: 'completed' }, () => undefined))
  .route('/', jobEditPages)
  .route('/', jobLinesPages)
  .route('/', jobCompletionPages)
  .route('/', jobOnMyWayPages)
