/** A job as the calendar places it: its local day, minutes and label in the business's zone, with names beside ids. */
import type { CalendarRow } from '../../durable-objects/org/crm/jobs'
import type { JobStatus } from '../../durable-objects/org/schema'
import { wallClock } from '../../src/time'

/** How long a job without an end is drawn (and counted for overlaps). */
export const DEFAULT_MINUTES = 60

export type CalendarJob = {
  id: string
  status: JobStatus
  client: string
  service: string | null
  /** Team members' user ids. */
  crew: string[]
  /** True when it overlaps another job of someone of its crew (and is not cancelled). */
  overlaps: boolean
  /** The local day it starts, YYYY-MM-DD. */
  date: string
  /** Local minutes since that day's midnight, start and end (the end may pass midnight). */
  start: number
  end: number
  /** "9:30 AM". */
  time: string
  /** "2026-03-05T09:30": the value of a datetime-local input. */
  local: string
}

type Wall = { date: string; minutes: number; time: string }

const pad = (n: number) => (n < 10 ? `0${n}` : String(n))

/** "9:30 AM" from minutes since midnight. */
export function clockLabel(minutes: number): string {
  const h = Math.floor(minutes / 60) % 24
  return `${h % 12 === 0 ? 12 : h % 12}:${pad(minutes % 60)} ${h < 12 ? 'AM' : 'PM'}`
}

const DAY_MS = 86_400_000

/** Milliseconds the zone is ahead of UTC at an instant. */
function offsetAt(t: number, tz: string): number {
  const w = wallClock(new Date(t), tz)
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(t / 1000) * 1000
}

/**
 * Wall-clock readings in one zone. Intl is the slow part of placing hundreds of jobs, so the zone's
 * offset is read once per UTC day and reused when it is the same at both ends of the day (no clock
 * change that day); on a day the clocks change, each instant is read on its own.
 */
export function zoneClock(tz: string): (instant: string) => Wall {
  const offsets = new Map<number, number | null>()
  return (instant) => {
    const t = Date.parse(instant)
    const day = Math.floor(t / DAY_MS)
    let offset = offsets.get(day)
    if (offset === undefined) {
      const first = offsetAt(day * DAY_MS, tz)
      offset = first === offsetAt((day + 1) * DAY_MS - 1000, tz) ? first : null
      offsets.set(day, offset)
    }
    const local = new Date(t + (offset ?? offsetAt(t, tz)))
    const minutes = local.getUTCHours() * 60 + local.getUTCMinutes()
    return {
      date: `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`,
      minutes,
      time: clockLabel(minutes),
    }
  }
}

/** Names of clients and services by id, and the zone's clock, for placing many jobs. */
export type Placing = {
  clients: Map<string, string>
  services: Map<string, string>
  clock: (instant: string) => Wall
}

/** A job placed on the calendar. */
export function calendarJob(job: CalendarRow, p: Placing): CalendarJob {
  const start = p.clock(job.start_at)
  const minutes = job.end_at
    ? Math.max(Math.round((Date.parse(job.end_at) - Date.parse(job.start_at)) / 60_000), 1)
    : DEFAULT_MINUTES
  return {
    id: job.id,
    status: job.status,
    client: p.clients.get(job.org_client_id) ?? 'Unknown client',
    service: job.service_id ? (p.services.get(job.service_id) ?? null) : null,
    crew: job.assigned_to,
    overlaps: job.status !== 'cancelled' && job.overlaps,
    date: start.date,
    start: start.minutes,
    end: start.minutes + minutes,
    time: start.time,
    local: `${start.date}T${pad(Math.floor(start.minutes / 60))}:${pad(start.minutes % 60)}`,
  }
}
