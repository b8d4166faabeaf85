/** Moving a job from the calendar: the form calendar.js sends (a drop, the arrow keys, "Move") read into the API's job change. */
import { z } from 'zod'
import type { FormErrors } from '../../../../views/fields'
import { UNASSIGNED, VIEWS, type CalendarQuery } from '../../../../views/schedule/range'
import { isIsoDate, zonedTimeToUtc } from '../../../time'
import { jobPatch, PAST_MESSAGE } from '../../api/jobs'
import { checkbox, localDateTime } from '../forms'

/** Where the move was made from (the calendar it answers with): lenient, since a bad one only changes the view. */
const calendarFields = {
  view: z.enum(VIEWS).catch('week'),
  date: z.string().refine(isIsoDate).optional().catch(undefined),
  filter: z
    .string()
    .max(100)
    .optional()
    .catch(undefined)
    .transform((v) => v || undefined),
}

/**
 * The move: the job, its new start as the calendar's wall clock shows it ("2026-03-05T09:30"),
 * and who works it: empty keeps the crew, a team member replaces it, `unassigned` empties it.
 */
export const moveForm = z.object({
  job_id: z.string({ message: 'Pick a job to move.' }).trim().min(1, 'Pick a job to move.').max(100),
  start_at: localDateTime,
  person: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((v) => v || undefined),
  allow_past: checkbox,
  what: z.string().max(200).optional(),
  ...calendarFields,
})

export type MoveForm = z.output<typeof moveForm>

/** The calendar a posted form came from; today's week when it says nothing usable. */
export function calendarOf(values: Record<string, string | undefined>, today: string): CalendarQuery {
  const parsed = z.object(calendarFields).parse(values)
  return { view: parsed.view, date: parsed.date ?? today, person: parsed.filter }
}

/** The crew a move gives the job: unchanged (undefined), nobody, or the one person it was dropped on. */
export function crewOf(person: string | undefined): string[] | undefined {
  if (person === undefined) return undefined
  return person === UNASSIGNED ? [] : [person]
}

/** The API's job change for a move, or the reasons it is refused (a time in the past unless confirmed). */
export function movePatch(
  form: MoveForm,
  tz: string,
):
  | { ok: true; patch: { start_at: string; assigned_to?: string[] } }
  | { ok: false; errors: FormErrors; past: boolean } {
  const crew = crewOf(form.person)
  const parsed = jobPatch.safeParse({
    start_at: zonedTimeToUtc(form.start_at.date, form.start_at.time, tz).toISOString(),
    ...(form.allow_past ? { allow_past: true } : {}),
    ...(crew ? { assigned_to: crew } : {}),
  })
  if (parsed.success) {
    const { start_at, assigned_to } = parsed.data
    return { ok: true, patch: { start_at: start_at!, ...(assigned_to ? { assigned_to } : {}) } }
  }
  const past = parsed.error.issues.some((i) => i.message === PAST_MESSAGE)
  return {
    ok: false,
    past,
    errors: past
      ? { start_at: 'That time is in the past. Tick the box to move the visit there anyway.' }
      : { start_at: 'Pick the new date and time.' },
  }
}
