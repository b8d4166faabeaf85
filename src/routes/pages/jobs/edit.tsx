/** POST /app/jobs/{id}/edit: the job page's one edit form (service, price, crew, property, start and length, notes). */
import { Hono } from 'hono'
import { z } from 'zod'
import type { JobPatch, JobWithCrew } from '../../../../durable-objects/org/crm/jobs'
import { unwrap } from '../../../../durable-objects/org/result'
import { peopleDb } from '../../../db'
import type { AppEnv } from '../../../env'
import { AppError, notFound } from '../../../errors'
import { assertOnTeam } from '../../../team'
import { zonedTimeToUtc } from '../../../time'
import type { FormErrors } from '../../../../views/fields'
import { jobPatch, PAST_MESSAGE } from '../../api/jobs'
import {
  checkbox,
  fieldErrors,
  formBody,
  formStrings,
  ID,
  isHtmx,
  localDateTime,
  optionalDollars,
  optionalMinutes,
  ticked,
} from '../forms'
import { DONE, jobAnswer, jobDetail } from './detail'

const editFields = z.object({
  service_id: z.string().trim().max(100).optional(),
  address_id: z.string().trim().max(100).optional(),
  price: optionalDollars,
  /** Absent for a completed or cancelled job, which cannot be moved. */
  start: localDateTime.optional(),
  duration_minutes: optionalMinutes,
  notes: z.string().max(5000, 'Keep it under 5000 characters.').optional(),
  assigned_to: ticked,
  crew_shown: checkbox,
  allow_past: checkbox,
  scope: z.enum(['this', 'following']).catch('this'),
})

export type EditForm = z.output<typeof editFields>

/** Where the API's fields show on the form. */
const EDIT_FIELDS = { start_at: 'start', end_at: 'duration_minutes', price_cents: 'price', notes: 'notes' }

/**
 * Only what the form changed, as the API's job change: an unchanged time is left out (so notes on
 * a past visit can still be fixed), and the end is the start plus the length.
 */
export function editPatch(job: JobWithCrew, v: EditForm, tz: string): JobPatch & { allow_past?: boolean } {
  const patch: JobPatch & { allow_past?: boolean } = {}
  if (v.service_id !== undefined && (v.service_id || null) !== job.service_id) patch.service_id = v.service_id || null
  if (v.address_id !== undefined && (v.address_id || null) !== job.address_id) patch.address_id = v.address_id || null
  if (v.price !== undefined && v.price !== job.price_cents) patch.price_cents = v.price
  if (v.notes !== undefined && v.notes.trim() !== (job.notes ?? '')) patch.notes = v.notes.trim()
  const crew = [...new Set(v.assigned_to)]
  if (v.crew_shown && (crew.length !== job.assigned_to.length || crew.some((u) => !job.assigned_to.includes(u))))
    patch.assigned_to = crew
  if (v.start) {
    const start = zonedTimeToUtc(v.start.date, v.start.time, tz)
    const minutes =
      v.duration_minutes ?? (job.end_at ? (Date.parse(job.end_at) - Date.parse(job.start_at)) / 60_000 : null)
    const end = minutes ? new Date(start.getTime() + minutes * 60_000).toISOString() : null
    if (start.toISOString() !== job.start_at) {
      patch.start_at = start.toISOString()
      if (end) patch.end_at = end
      if (v.allow_past) patch.allow_past = true
    } else if (end && end !== job.end_at) patch.end_at = end
  }
  return patch
}

export const jobEditPages = new Hono<AppEnv>().post(
  `/:id{${ID}}/edit`,
  formBody(editFields, async (c, values, errors) => {
    const item = await jobDetail(c, await c.get('org').getJob(c.req.param('id')!))
    return jobAnswer(c, item, { edit: { values, errors } }, 422)
  }),
  async (c) => {
    const id = c.req.param('id')
    const org = c.get('org')
    const job = await org.getJob(id)
    if (!job) throw notFound('job')
    const form = c.req.valid('form')
    const values = await formStrings(c)
    const refused = async (errors: FormErrors, extra: { confirmPast?: boolean; error?: string } = {}, status = 422) =>
      jobAnswer(
        c,
        await jobDetail(c, job),
        { error: extra.error, edit: { values, errors, confirmPast: extra.confirmPast ?? false } },
        status as 409 | 422,
      )
    const patch = editPatch(job, form, c.get('organization').timezone)
    if (Object.keys(patch).length === 0) {
      if (!isHtmx(c)) return c.redirect(`/app/jobs/${id}`, 303)
      return jobAnswer(c, await jobDetail(c, job), { notice: 'Nothing to change.' })
    }
    const checked = jobPatch.safeParse(patch)
    if (!checked.success) {
      const errors = fieldErrors(checked.error.issues, EDIT_FIELDS)
      const past = errors['start'] === PAST_MESSAGE
      if (past) errors['start'] = 'That time is in the past. Tick the box below to move the visit there anyway.'
      return refused(errors, { confirmPast: past })
    }
    try {
      await assertOnTeam(peopleDb(c.env.PEOPLE), c.get('organization').id, patch.assigned_to)
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error
      return refused({ assigned_to: 'Choose people who are on your team.' })
    }
    const following = job.series_id !== null && form.scope === 'following'
    const result = await org.updateJob(id, { ...checked.data, ...(following ? { scope: 'following' as const } : {}) })
    if (!result.ok) {
      if (result.error.status === 404 && !result.error.message.includes('service')) unwrap(result)
      if (result.error.status === 404)
        return refused({ service_id: 'That service is not one of yours. Choose another.' })
      if (result.error.issues?.some((i) => i.path === 'address_id'))
        return refused({ address_id: "Choose one of this client's properties." })
      return refused({}, { error: result.error.message }, result.error.status === 409 ? 409 : 422)
    }
    if (!isHtmx(c)) return c.redirect(`/app/jobs/${id}?done=saved`, 303)
    const notice = following ? 'Changes saved to this visit and the ones after it.' : DONE.saved
    return jobAnswer(c, await jobDetail(c, result.value), { notice })
  },
)
