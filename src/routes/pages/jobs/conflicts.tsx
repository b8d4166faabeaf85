/** GET /app/jobs/conflicts: which of the chosen crew already have a job overlapping a time (the booking form's warning). */
import { Hono, type Context } from 'hono'
import type { JobWithCrew } from '../../../../durable-objects/org/crm/jobs'
import type { AppEnv } from '../../../env'
import { zonedTimeToUtc } from '../../../time'
import { ConflictList, type CrewConflict } from '../../../../views/jobs/conflicts'
import { fragment } from '../../../../views/layout'
import { splitLocalDateTime } from '../forms'
import { clientNames } from '../lookups'
import { teamOf } from './detail'

const MINUTE = 60_000
/** A job without an end counts as an hour, as the schedule's overlaps do. */
const DEFAULT_MINUTES = 60
/** How far back a job may start and still reach into the time asked about. */
const LOOK_BACK_MS = 24 * 60 * MINUTE

/** The time asked about, from the form's fields; null when the date or time is not filled in yet. */
export async function askedTime(
  c: Context<AppEnv>,
  q: { start?: string | undefined; duration_minutes?: string | undefined; service_id?: string | undefined },
): Promise<{ start: number; end: number } | null> {
  const parts = splitLocalDateTime(q.start ?? '')
  if (!parts) return null
  const start = zonedTimeToUtc(parts.date, parts.time, c.get('organization').timezone).getTime()
  let minutes = Number(q.duration_minutes)
  if (!Number.isInteger(minutes) || minutes < 5 || minutes > 1440) {
    const service = q.service_id ? (await c.get('org').listServices()).find((s) => s.id === q.service_id) : undefined
    minutes = service?.duration_minutes ?? DEFAULT_MINUTES
  }
  return { start, end: start + minutes * MINUTE }
}

/** The crew's jobs (not cancelled, not `exclude`) that overlap [start, end), by person. */
export async function crewConflicts(
  c: Context<AppEnv>,
  time: { start: number; end: number },
  crew: string[],
  exclude?: string,
): Promise<CrewConflict[]> {
  if (crew.length === 0) return []
  const [jobs, team] = await Promise.all([
    c.get('org').listJobs({
      from: new Date(time.start - LOOK_BACK_MS).toISOString(),
      to: new Date(time.end).toISOString(),
      limit: 1000,
    }),
    teamOf(c),
  ])
  const overlapping = jobs.filter((j: JobWithCrew) => {
    if (j.id === exclude || j.status === 'cancelled') return false
    const start = Date.parse(j.start_at)
    const end = j.end_at ? Date.parse(j.end_at) : start + DEFAULT_MINUTES * MINUTE
    return start < time.end && end > time.start
  })
  const names = await clientNames(
    c,
    overlapping.map((j) => j.org_client_id),
  )
  return team
    .filter((m) => crew.includes(m.user_id))
    .map((m) => ({
      name: m.name ?? m.email,
      color: m.color,
      jobs: overlapping
        .filter((j) => j.assigned_to.includes(m.user_id))
        .map((j) => ({ id: j.id, start_at: j.start_at, end_at: j.end_at, clientName: names[j.org_client_id]! })),
    }))
    .filter((p) => p.jobs.length > 0)
}

export const jobConflictPages = new Hono<AppEnv>().get('/conflicts', async (c) => {
  const time = await askedTime(c, {
    start: c.req.query('start'),
    duration_minutes: c.req.query('duration_minutes'),
    service_id: c.req.query('service_id'),
  })
  const crew = c.req.queries('assigned_to') ?? []
  const conflicts = time ? await crewConflicts(c, time, crew, c.req.query('exclude')) : []
  c.header('Cache-Control', 'no-store')
  return fragment(c, <ConflictList conflicts={conflicts} />)
})
