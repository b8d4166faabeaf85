/**
 * A day's free slots from the connected CRM (seed 003's scheduling phase): ServiceTitan's capacity
 * API says what is open; for Jobber (visits) and Housecall Pro (jobs by scheduled start) the free
 * slots are the gaps between that day's work within business hours (8:00–18:00 in the business's
 * zone). Without a technician the day is one calendar: a slot is free when nothing is booked then.
 */
import type { ConnectionSettings, Provider } from '../../durable-objects/org/schema'
import type { Env } from '../env'
import { addDays, zonedTimeToUtc } from '../time'
import { graphqlData, jobberGraphql, jsonOf, pick, restRequest } from './provider-api'

export type Slot = { start_at: string; end_at: string; technician_id?: string; technician_name?: string }
export type AvailabilityQuery = { date: string; job_type_id?: string | undefined; technician_id?: string | undefined }
/** What the day is read with: the business's zone and how long a slot lasts. */
export type DayOptions = { tz: string; slotMinutes: number }

export const BUSINESS_HOURS = { open: '08:00', close: '18:00' } as const
export const DEFAULT_SLOT_MINUTES = 60
/** Slots start on the half hour (in the business's zone). */
const GRID_MINUTES = 30
/** A visit without an end is taken to last an hour. */
const UNTIMED_MINUTES = 60

export const PROVIDER_LABELS: Record<Provider, string> = {
  jobber: 'Jobber',
  housecallpro: 'Housecall Pro',
  servicetitan: 'ServiceTitan',
  quickbooks: 'QuickBooks',
}

/** The CRMs with a schedule to read. */
export const SCHEDULING_PROVIDERS: readonly Provider[] = ['jobber', 'housecallpro', 'servicetitan']

/** A provider that could not be reached or did not answer as expected; the message says which and how. */
export class ProviderError extends Error {}

type ApiEnv = Pick<Env, 'INTEGRATION_ENDPOINTS' | 'SERVICETITAN_APP_KEY'>
type Person = { id: string; name: string }
/** Something booked that day: when, and who works it. */
export type Busy = { start: number; end: number; people: Person[] }

/** Reads the day's free slots from the provider; throws ProviderError when it does not answer as expected. */
export async function fetchAvailability(
  env: ApiEnv,
  provider: Provider,
  token: string,
  settings: ConnectionSettings,
  query: AvailabilityQuery,
  day: DayOptions,
): Promise<Slot[]> {
  const label = PROVIDER_LABELS[provider]
  try {
    if (provider === 'servicetitan') return await serviceTitanCapacity(env, token, settings, query, day.tz)
    const busy =
      provider === 'jobber'
        ? await jobberVisits(env, token, query.date, day.tz)
        : await housecallJobs(env, token, query.date, day.tz)
    const mine = query.technician_id ? busy.filter((b) => b.people.some((p) => p.id === query.technician_id)) : busy
    const technician = query.technician_id
      ? {
          technician_id: query.technician_id,
          ...withName(busy.flatMap((b) => b.people).find((p) => p.id === query.technician_id)?.name),
        }
      : {}
    return freeSlots(query.date, day, mine).map((s) => ({ ...s, ...technician }))
  } catch (error) {
    if (error instanceof ProviderError) throw error
    console.warn('availability: provider request failed', provider, error)
    throw new ProviderError(`Could not reach ${label} to read the schedule.`)
  }
}

/** The slots of `slotMinutes` on the half-hour grid within business hours that overlap nothing booked, earliest first, none overlapping. */
export function freeSlots(date: string, day: DayOptions, busy: Busy[]): Slot[] {
  const close = zonedTimeToUtc(date, BUSINESS_HOURS.close, day.tz).getTime()
  const [openH, openM] = BUSINESS_HOURS.open.split(':').map(Number) as [number, number]
  const length = day.slotMinutes * 60_000
  const slots: Slot[] = []
  let freeFrom = 0
  for (let minute = openH * 60 + openM; ; minute += GRID_MINUTES) {
    const hhmm = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`
    const start = zonedTimeToUtc(date, hhmm, day.tz).getTime()
    const end = start + length
    if (end > close || minute >= 24 * 60) break
    if (start < freeFrom || busy.some((b) => b.start < end && start < b.end)) continue
    slots.push({ start_at: new Date(start).toISOString(), end_at: new Date(end).toISOString() })
    freeFrom = end
  }
  return slots
}

/** The day in the business's zone as UTC instants [start, end). */
function dayBounds(date: string, tz: string): { from: Date; to: Date } {
  return { from: zonedTimeToUtc(date, '00:00', tz), to: zonedTimeToUtc(addDays(date, 1), '00:00', tz) }
}

const VISITS_QUERY = `query Availability($filter: VisitFilterAttributes) {
  visits(first: 100, filter: $filter) {
    nodes { id startAt endAt allDay assignedUsers(first: 10) { nodes { id name { full } } } }
  }
}`

/** Jobber: the visits starting that day (GraphQL `visits` filtered on `startAt`). */
async function jobberVisits(env: ApiEnv, token: string, date: string, tz: string): Promise<Busy[]> {
  const { from, to } = dayBounds(date, tz)
  const res = await jobberGraphql(env, token, VISITS_QUERY, {
    filter: { startAt: { after: from.toISOString(), before: to.toISOString() } },
  })
  if (!res.ok) throw httpError('Jobber', res.status)
  const result = graphqlData(await jsonOf(res))
  if ('error' in result) throw new ProviderError(`Jobber did not answer with visits: ${result.error}`)
  const nodes = pick(result.data, 'visits.nodes')
  if (!Array.isArray(nodes)) throw new ProviderError('Jobber did not answer with visits.')
  return nodes.flatMap((v) => {
    const people = peopleOf(pick(v, 'assignedUsers.nodes'), (u) => pick(u, 'name.full'))
    if (pick(v, 'allDay') === true) return [{ start: from.getTime(), end: to.getTime(), people }]
    return busyOf(pick(v, 'startAt'), pick(v, 'endAt'), people)
  })
}

/** Housecall Pro: the jobs scheduled to start that day (`GET /jobs` by `scheduled_start`), cancelled ones left out. */
async function housecallJobs(env: ApiEnv, token: string, date: string, tz: string): Promise<Busy[]> {
  const { from, to } = dayBounds(date, tz)
  const params = new URLSearchParams({
    scheduled_start_min: from.toISOString(),
    scheduled_start_max: to.toISOString(),
    page_size: '100',
  })
  const res = await restRequest(env, 'housecallpro', token, `/jobs?${params}`)
  if (!res.ok) throw httpError('Housecall Pro', res.status)
  const jobs = pick(await jsonOf(res), 'jobs')
  if (!Array.isArray(jobs)) throw new ProviderError('Housecall Pro did not answer with jobs.')
  return jobs.flatMap((j) => {
    const status = String(pick(j, 'work_status') ?? '')
    if (status.includes('cancel')) return []
    const people = peopleOf(pick(j, 'assigned_employees'), (e) =>
      [pick(e, 'first_name'), pick(e, 'last_name')].filter(Boolean).join(' '),
    )
    return busyOf(pick(j, 'schedule.scheduled_start'), pick(j, 'schedule.scheduled_end'), people)
  })
}

/**
 * ServiceTitan: `POST /dispatch/v2/tenant/{tenant}/capacity` for the day, the job type's duration
 * applied by ServiceTitan; a time frame with open availability is a slot (for a technician: one
 * where they are listed as available).
 */
async function serviceTitanCapacity(
  env: ApiEnv,
  token: string,
  settings: ConnectionSettings,
  query: AvailabilityQuery,
  tz: string,
): Promise<Slot[]> {
  const { from, to } = dayBounds(query.date, tz)
  const tenant = encodeURIComponent(settings.tenant_id ?? '')
  const res = await restRequest(env, 'servicetitan', token, `/dispatch/v2/tenant/${tenant}/capacity`, {
    method: 'POST',
    body: {
      startsOnOrAfter: from.toISOString(),
      endsOnOrBefore: to.toISOString(),
      skillBasedAvailability: false,
      ...(query.job_type_id ? { jobTypeId: Number(query.job_type_id) } : {}),
    },
  })
  if (!res.ok) throw httpError('ServiceTitan', res.status)
  const frames = pick(await jsonOf(res), 'availabilities')
  if (!Array.isArray(frames)) throw new ProviderError('ServiceTitan did not answer with availabilities.')
  return frames.flatMap((f): Slot[] => {
    const start = instantOf(pick(f, 'startUtc') ?? pick(f, 'start'), tz)
    const end = instantOf(pick(f, 'endUtc') ?? pick(f, 'end'), tz)
    const open = pick(f, 'openAvailability')
    const isOpen = typeof open === 'number' ? open > 0 : pick(f, 'isAvailable') !== false
    if (start === null || end === null || end <= start || !isOpen) return []
    const slot = { start_at: new Date(start).toISOString(), end_at: new Date(end).toISOString() }
    if (!query.technician_id) return [slot]
    const tech = (Array.isArray(pick(f, 'technicians')) ? (pick(f, 'technicians') as unknown[]) : []).find(
      (t) => String(pick(t, 'id')) === query.technician_id,
    )
    const status = String(pick(tech, 'status') ?? 'Available').toLowerCase()
    if (!tech || status !== 'available') return []
    return [{ ...slot, technician_id: query.technician_id, ...withName(pick(tech, 'name')) }]
  })
}

/** An ISO instant; one without an offset is a wall-clock time in the business's zone. */
function instantOf(value: unknown, tz: string): number | null {
  if (typeof value !== 'string') return null
  if (/(Z|[+-]\d\d:?\d\d)$/.test(value)) {
    const t = Date.parse(value)
    return Number.isNaN(t) ? null : t
  }
  const m = value.match(/^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)/)
  return m ? zonedTimeToUtc(m[1]!, m[2]!, tz).getTime() : null
}

function busyOf(startAt: unknown, endAt: unknown, people: Person[]): Busy[] {
  const start = typeof startAt === 'string' ? Date.parse(startAt) : Number.NaN
  if (Number.isNaN(start)) return []
  const end = typeof endAt === 'string' ? Date.parse(endAt) : Number.NaN
  return [{ start, end: Number.isNaN(end) || end <= start ? start + UNTIMED_MINUTES * 60_000 : end, people }]
}

function peopleOf(list: unknown, nameOf: (x: unknown) => unknown): Person[] {
  if (!Array.isArray(list)) return []
  return list.flatMap((x) => {
    const id = pick(x, 'id')
    const name = nameOf(x)
    return typeof id === 'string' || typeof id === 'number'
      ? [{ id: String(id), name: typeof name === 'string' ? name : '' }]
      : []
  })
}

const withName = (name: unknown) => (typeof name === 'string' && name ? { technician_name: name } : {})

function httpError(label: string, status: number): ProviderError {
  if (status === 401 || status === 403)
    return new ProviderError(
      `${label} refused the connection's token (HTTP ${status}); reconnect it on the Integrations page.`,
    )
  if (status === 429) return new ProviderError(`${label} is limiting requests (HTTP 429); try again in a minute.`)
  return new ProviderError(`${label} answered HTTP ${status} when asked for the schedule.`)
}
