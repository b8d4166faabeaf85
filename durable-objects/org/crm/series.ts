// Over 300 lines on purpose: a series' whole life (booking, extending, changing the following visits, cancelling, describing) shares its row, rule and visit helpers.
/**
 * Recurring visits: a series holds the rule and what each visit is booked with; its visits exist
 * as jobs for the next 12 months (each with its reminders) and the due-work run makes more as
 * time passes. One visit, or this one and every later one, can be changed or cancelled.
 */
import { and, asc, eq, gte, inArray, isNotNull, lte, min, sql } from 'drizzle-orm'
import { conflict, invalidInput, notFound } from '../../../src/errors'
import { addDays, localDate } from '../../../src/time'
import type { OrgDb } from '../db'
import { jobSeries, jobs } from '../schema'
import { setCrew } from './crews'
import { getJob, type Job, type JobPatch, updateJob } from './jobs'
import {
  buildRule,
  continuesAfter,
  describeRule,
  floating,
  instantOf,
  keyOf,
  type LocalKey,
  localKey,
  occurrences,
  parseRule,
  type Recurrence,
  shiftRule,
} from './recurrence'
import { scheduleJobReminders } from './reminders'

/** How far ahead visits exist as jobs (from now, or from a later first visit). */
const HORIZON_DAYS = 365
/** How often a series with no end is extended (so the horizon never falls below a year less this). */
const EXTEND_EVERY_MS = 7 * 86_400_000
/** Statuses of a visit that is still to happen, which series-wide changes reach. */
const OPEN = ['scheduled', 'blocked'] as const

export type Series = {
  id: string
  org_client_id: string
  rule: string
  timezone: string
  /** The rule in words: "Every 2 weeks on Tuesday at 9:00 AM". */
  summary: string
  service_id: string | null
  address_id: string | null
  duration_minutes: number | null
  price_cents: number
  notes: string | null
  assigned_to: string[]
  /** Visits still to come (scheduled, from now). */
  upcoming: number
  next_visit: { job_id: string; start_at: string } | null
  cancelled_at: string | null
  created_at: string
}

type SeriesRow = typeof jobSeries.$inferSelect

/**
 * Makes the job `first` the first visit of a new series and books the visits of the next 12
 * months (or up to the rule's count or end date). Returns the series id.
 */
export function startSeries(db: OrgDb, first: Job, rec: Recurrence, tz: string, crew: string[], now: Date): string {
  const start = localKey(new Date(first.start_at), tz)
  const rule = buildRule(rec, start, tz)
  const id = crypto.randomUUID()
  const at = now.toISOString()
  const row = {
    id,
    orgClientId: first.org_client_id,
    rule,
    timezone: tz,
    serviceId: first.service_id,
    addressId: first.address_id,
    durationMinutes: first.end_at ? Math.round((Date.parse(first.end_at) - Date.parse(first.start_at)) / 60_000) : null,
    priceCents: first.price_cents,
    notes: first.notes,
    assignedTo: JSON.stringify(crew),
    generatedUntil: start,
    extendAt: null,
    cancelledAt: null,
    createdAt: at,
    updatedAt: at,
  }
  db.insert(jobSeries).values(row).run()
  db.update(jobs).set({ seriesId: id, occurrence: start }).where(eq(jobs.id, first.id)).run()
  extend(db, row, now, first.source)
  return id
}

/** Books the series' visits up to the horizon that do not exist yet, and says when to extend again. */
function extend(db: OrgDb, series: SeriesRow, now: Date, source = 'recurring'): number {
  const parsed = parseRule(series.rule)
  // A year of visits from now, or from the first visit when the series starts later.
  const from = Math.max(now.getTime(), instantOf(parsed.start, series.timezone).getTime())
  const through = `${localDate(new Date(from + HORIZON_DAYS * 86_400_000), series.timezone)}T23:59`
  const keys = occurrences(parsed, series.generatedUntil, through)
  const crew = JSON.parse(series.assignedTo) as string[]
  const at = now.toISOString()
  let made = 0
  for (const key of keys) {
    const start = instantOf(key, series.timezone)
    const row = {
      id: crypto.randomUUID(),
      orgClientId: series.orgClientId,
      serviceId: series.serviceId,
      addressId: series.addressId,
      startAt: start.toISOString(),
      endAt: series.durationMinutes ? new Date(start.getTime() + series.durationMinutes * 60_000).toISOString() : null,
      status: 'scheduled' as const,
      priceCents: series.priceCents,
      notes: series.notes,
      source,
      seriesId: series.id,
      occurrence: key,
      createdAt: at,
      updatedAt: at,
    }
    const [inserted] = db.insert(jobs).values(row).onConflictDoNothing().returning({ id: jobs.id }).all()
    if (!inserted) continue
    made++
    if (crew.length > 0) setCrew(db, row.id, crew)
    scheduleJobReminders(db, row, now)
  }
  const last = keys.length > 0 ? keys[keys.length - 1]! : series.generatedUntil
  const generatedUntil = last > through ? last : through
  db.update(jobSeries)
    .set({
      generatedUntil,
      extendAt:
        series.cancelledAt || !continuesAfter(parsed, generatedUntil)
          ? null
          : new Date(now.getTime() + EXTEND_EVERY_MS).toISOString(),
      updatedAt: at,
    })
    .where(eq(jobSeries.id, series.id))
    .run()
  return made
}

/** Extends every series whose extension is due; returns the visits booked. */
export function extendDueSeries(db: OrgDb, now: Date): number {
  const due = db
    .select()
    .from(jobSeries)
    .where(and(isNotNull(jobSeries.extendAt), lte(jobSeries.extendAt, now.toISOString())))
    .limit(100)
    .all()
  return due.reduce((n, s) => n + extend(db, s, now), 0)
}

/** When the next series extension is due, or null. */
export function nextSeriesDueAt(db: OrgDb): string | null {
  return (
    db
      .select({ at: min(jobSeries.extendAt) })
      .from(jobSeries)
      .get()?.at ?? null
  )
}

/** The visits of a series at or after a visit, still to happen, in order. */
function openVisitsFrom(db: OrgDb, seriesId: string, occurrence: LocalKey) {
  return db
    .select()
    .from(jobs)
    .where(and(eq(jobs.seriesId, seriesId), gte(jobs.occurrence, occurrence), inArray(jobs.status, [...OPEN])))
    .orderBy(asc(jobs.occurrence))
    .all()
}

function seriesOf(db: OrgDb, job: Job): { series: SeriesRow; occurrence: LocalKey } {
  const row = db.select({ occurrence: jobs.occurrence }).from(jobs).where(eq(jobs.id, job.id)).get()
  const series = job.series_id ? db.select().from(jobSeries).where(eq(jobSeries.id, job.series_id)).get() : undefined
  if (!series || !row?.occurrence) throw invalidInput([{ path: 'scope', message: 'this job is not part of a series' }])
  return { series, occurrence: row.occurrence }
}

/**
 * Changes a visit and every later one of its series still to happen. A new `start_at` moves each
 * of them by the same change of local date and time of day; the other fields are copied. The
 * series books later visits the new way too.
 */
export function updateFollowing(db: OrgDb, jobId: string, patch: JobPatch, now: Date): Job {
  const job = getJob(db, jobId)
  if (!job) throw notFound('job')
  const { series, occurrence } = seriesOf(db, job)
  if (patch.status === 'cancelled') {
    cancelFrom(db, series, occurrence, now)
    return getJob(db, jobId)!
  }
  if (patch.status !== undefined && patch.status !== job.status)
    throw invalidInput([{ path: 'status', message: 'changes one visit at a time (scope "this"), except cancelling' }])
  const tz = series.timezone
  const oldStart = localKey(new Date(job.start_at), tz)
  const newStart = patch.start_at ? localKey(new Date(patch.start_at), tz) : oldStart
  const days = Math.round((Date.parse(newStart.slice(0, 10)) - Date.parse(oldStart.slice(0, 10))) / 86_400_000)
  const minutes = minutesOf(newStart) - minutesOf(oldStart) // the change of time of day, on the wall clock
  const duration = patch.end_at
    ? Math.round((Date.parse(patch.end_at) - Date.parse(patch.start_at ?? job.start_at)) / 60_000)
    : undefined
  if (duration !== undefined && duration <= 0)
    throw invalidInput([{ path: 'end_at', message: 'must be after start_at' }])
  const parsed = parseRule(series.rule)
  // The visits the current rule made before this one, counted before any is renamed (an earlier move may have restarted the rule).
  const before = db
    .select({ n: sql<number>`count(*)` })
    .from(jobs)
    .where(
      and(eq(jobs.seriesId, series.id), gte(jobs.occurrence, parsed.start), sql`${jobs.occurrence} < ${occurrence}`),
    )
    .get()!.n
  const visits = openVisitsFrom(db, series.id, occurrence)
  const shift = (key: LocalKey) => keyOf(new Date(floating(key).getTime() + (days * 1440 + minutes) * 60_000))
  const {
    start_at: _s,
    end_at: _e,
    scope: _scope,
    allow_past: _p,
    ...rest
  } = patch as JobPatch & {
    allow_past?: boolean
  }
  // Later visits move first when moving later (and earlier ones first when moving earlier), so no two share an occurrence midway.
  const ordered = days * 1440 + minutes > 0 ? [...visits].reverse() : visits
  for (const v of ordered) {
    const moved = days !== 0 || minutes !== 0
    const start = moved ? instantOf(shift(localKey(new Date(v.startAt), tz)), tz) : new Date(v.startAt)
    const length = duration ?? (v.endAt ? (Date.parse(v.endAt) - Date.parse(v.startAt)) / 60_000 : null)
    if (moved) {
      const key = shift(v.occurrence!)
      const taken = db
        .select({ id: jobs.id })
        .from(jobs)
        .where(and(eq(jobs.seriesId, series.id), eq(jobs.occurrence, key)))
        .get()
      if (taken && !visits.some((x) => x.id === taken.id))
        throw conflict('That move would put two visits of the series on the same occurrence; move them one at a time.')
      db.update(jobs).set({ occurrence: key }).where(eq(jobs.id, v.id)).run()
    }
    updateJob(
      db,
      v.id,
      {
        ...rest,
        ...(moved || duration !== undefined
          ? {
              start_at: start.toISOString(),
              end_at: length ? new Date(start.getTime() + length * 60_000).toISOString() : undefined,
            }
          : {}),
      },
      now,
      { quiet: v.id !== job.id },
    )
  }
  // The series books later visits the new way.
  // An end date moves by the same days as the visits, so the last visit stays inside it.
  const end = parsed.options.until ? localKey(parsed.options.until, tz) : null
  const until = end ? instantOf(`${addDays(end.slice(0, 10), days)}${end.slice(10)}`, tz) : null
  const rule =
    days !== 0 || minutes !== 0
      ? shiftRule(
          { ...parsed, options: { ...parsed.options, until } },
          shift(occurrence),
          days,
          parsed.options.count ? parsed.options.count - before : null,
        )
      : series.rule
  const durationMinutes = duration ?? series.durationMinutes
  db.update(jobSeries)
    .set({
      rule,
      generatedUntil: days !== 0 || minutes !== 0 ? shift(series.generatedUntil) : series.generatedUntil,
      durationMinutes,
      ...(rest.price_cents !== undefined ? { priceCents: rest.price_cents } : {}),
      ...(rest.notes !== undefined ? { notes: rest.notes } : {}),
      ...(rest.service_id !== undefined ? { serviceId: rest.service_id } : {}),
      ...(rest.address_id !== undefined ? { addressId: rest.address_id } : {}),
      ...(rest.assigned_to !== undefined ? { assignedTo: JSON.stringify([...new Set(rest.assigned_to)]) } : {}),
      updatedAt: now.toISOString(),
    })
    .where(eq(jobSeries.id, series.id))
    .run()
  return getJob(db, jobId)!
}

const minutesOf = (key: LocalKey) => Number(key.slice(11, 13)) * 60 + Number(key.slice(14, 16))

/**
 * Cancels a series from a visit on (or from the next visit still to come when `fromJobId` is not
 * given): those visits stay listed as `cancelled`, their reminders are dropped, and no more are
 * booked. Returns how many visits were cancelled.
 */
export function cancelSeries(
  db: OrgDb,
  seriesId: string,
  fromJobId: string | undefined,
  now: Date,
): { series_id: string; cancelled: number } {
  const series = db.select().from(jobSeries).where(eq(jobSeries.id, seriesId)).get()
  if (!series) throw notFound('series')
  let from: LocalKey
  if (fromJobId) {
    const job = db
      .select({ occurrence: jobs.occurrence })
      .from(jobs)
      .where(and(eq(jobs.id, fromJobId), eq(jobs.seriesId, seriesId)))
      .get()
    if (!job?.occurrence) throw invalidInput([{ path: 'from', message: 'is not a visit of this series' }])
    from = job.occurrence
  } else {
    const next = db
      .select({ occurrence: jobs.occurrence })
      .from(jobs)
      .where(and(eq(jobs.seriesId, seriesId), gte(jobs.startAt, now.toISOString()), inArray(jobs.status, [...OPEN])))
      .orderBy(asc(jobs.occurrence))
      .get()
    from = next?.occurrence ?? series.generatedUntil
  }
  return { series_id: seriesId, cancelled: cancelFrom(db, series, from, now) }
}

function cancelFrom(db: OrgDb, series: SeriesRow, from: LocalKey, now: Date): number {
  const visits = openVisitsFrom(db, series.id, from)
  for (const [i, v] of visits.entries()) updateJob(db, v.id, { status: 'cancelled' }, now, { quiet: i > 0 })
  const parsed = parseRule(series.rule)
  const first = from <= parsed.start
  const { dtstart: _d, tzid: _t, count: _c, ...o } = parsed.options
  // The rule now ends the day before `from` (or the series never had a visit left).
  const until = instantOf(`${addDays(from.slice(0, 10), -1)}T23:59`, series.timezone)
  const rule = first ? series.rule : shiftRule({ ...parsed, options: { ...o, until } }, parsed.start, 0, null)
  db.update(jobSeries)
    .set({
      rule,
      extendAt: null,
      cancelledAt: first ? now.toISOString() : series.cancelledAt,
      updatedAt: now.toISOString(),
    })
    .where(eq(jobSeries.id, series.id))
    .run()
  return visits.length
}

/** A client's series (or every series), newest first. */
export function listSeries(db: OrgDb, query: { org_client_id?: string }, now: Date): Series[] {
  const rows = db
    .select()
    .from(jobSeries)
    .where(query.org_client_id ? eq(jobSeries.orgClientId, query.org_client_id) : undefined)
    .orderBy(sql`${jobSeries.createdAt} desc`)
    .all()
  return rows.map((r) => toSeries(db, r, now))
}

export function getSeries(db: OrgDb, id: string, now: Date): Series | null {
  const row = db.select().from(jobSeries).where(eq(jobSeries.id, id)).get()
  return row ? toSeries(db, row, now) : null
}

function toSeries(db: OrgDb, r: SeriesRow, now: Date): Series {
  const upcoming = db
    .select({ id: jobs.id, startAt: jobs.startAt })
    .from(jobs)
    .where(and(eq(jobs.seriesId, r.id), gte(jobs.startAt, now.toISOString()), inArray(jobs.status, [...OPEN])))
    .orderBy(asc(jobs.startAt))
    .all()
  return {
    id: r.id,
    org_client_id: r.orgClientId,
    rule: r.rule,
    timezone: r.timezone,
    summary: r.cancelledAt ? `${describeRule(r.rule)} (cancelled)` : describeRule(r.rule),
    service_id: r.serviceId,
    address_id: r.addressId,
    duration_minutes: r.durationMinutes,
    price_cents: r.priceCents,
    notes: r.notes,
    assigned_to: JSON.parse(r.assignedTo) as string[],
    upcoming: upcoming.length,
    next_visit: upcoming[0] ? { job_id: upcoming[0].id, start_at: upcoming[0].startAt } : null,
    cancelled_at: r.cancelledAt,
    created_at: r.createdAt,
  }
}
