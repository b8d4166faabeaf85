/** Display helpers for pages: money from integer cents, dates and times in the business's zone, names. */
import type { ClientStatus } from '../durable-objects/org/crm/statuses'
import { wallClock } from '../src/time'

const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' })
const wholeDollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 })

/** "$1,234.50" from 123450 cents. */
export function money(cents: number): string {
  return dollars.format(cents / 100)
}

/** "$1,235" from 123450 cents: for tiles and charts where cents are noise. */
export function moneyRounded(cents: number): string {
  return wholeDollars.format(Math.round(cents / 100))
}

/** "1234.50" from 123450 cents: the value of a dollars input. */
export function dollarsInput(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return ''
  return (cents / 100).toFixed(2)
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function fmt(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let f = formatters.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', options)
    formatters.set(key, f)
  }
  return f
}

/** A calendar date (YYYY-MM-DD) as a UTC midnight, so formatting never shifts its day. */
const calendar = (date: string) => new Date(`${date}T00:00:00Z`)

/** "Mon, Jan 5" from a YYYY-MM-DD date. */
export function shortDate(date: string): string {
  return fmt('short', { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric' }).format(calendar(date))
}

/** "Jan 5, 2026" from a YYYY-MM-DD date. */
export function longDate(date: string): string {
  return fmt('long', { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric' }).format(calendar(date))
}

/** "Mon" from a YYYY-MM-DD date. */
export function weekday(date: string): string {
  return fmt('weekday', { timeZone: 'UTC', weekday: 'short' }).format(calendar(date))
}

/** "9:30 AM": the wall-clock time of an instant in a zone. */
export function timeOf(instant: string, tz: string): string {
  return fmt(`time:${tz}`, { timeZone: tz, hour: 'numeric', minute: '2-digit' }).format(new Date(instant))
}

/** "Mon, Jan 5, 9:30 AM": the date and time of an instant in a zone. */
export function dateTime(instant: string, tz: string): string {
  return fmt(`dt:${tz}`, {
    timeZone: tz,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(new Date(instant))
}

/** "Jan 5, 2026, 9:30 AM": when something happened, for timelines. */
export function stamp(instant: string, tz: string): string {
  return fmt(`stamp:${tz}`, {
    timeZone: tz,
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(new Date(instant))
}

/** "2026-01-05T09:30": the value of a datetime-local input showing an instant in a zone. */
export function localInput(instant: string, tz: string): string {
  const w = wallClock(new Date(instant), tz)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${w.year}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}`
}

/** "1 h 30 min" from minutes. */
export function duration(minutes: number | null): string {
  if (!minutes) return '—'
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return [h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ')
}

/** A client's display name, or their email or phone when they have no name. */
export function personName(c: {
  first_name: string | null
  last_name: string | null
  primary_email?: string | null
  primary_phone_e164?: string | null
}): string {
  return (
    [c.first_name, c.last_name].filter(Boolean).join(' ') || c.primary_email || c.primary_phone_e164 || 'Unnamed client'
  )
}

/** "(415) 555-0101" for a US/Canada E.164 number; other numbers as stored. */
export function phone(e164: string | null): string {
  if (!e164) return ''
  const us = e164.match(/^\+1(\d{3})(\d{3})(\d{4})$/)
  return us ? `(${us[1]}) ${us[2]}-${us[3]}` : e164
}

/** "Job", "In progress": a status or type code as words. */
export function words(code: string): string {
  const s = code.replace(/_/g, ' ')
  return s.charAt(0).toUpperCase() + s.slice(1)
}

/** How each client status reads, for one client and for a group, in the order forms offer them. */
export const CLIENT_STATUS_NAMES: Record<ClientStatus, { one: string; many: string }> = {
  active: { one: 'Active', many: 'Active clients' },
  lead: { one: 'Lead', many: 'Leads' },
  inactive: { one: 'Inactive', many: 'Inactive clients' },
}

/** The statuses as select options, named for one client ("Lead") or a group ("Leads"). */
export const statusOptions = (form: 'one' | 'many') =>
  (Object.keys(CLIENT_STATUS_NAMES) as ClientStatus[]).map((value) => ({
    value,
    label: CLIENT_STATUS_NAMES[value][form],
  }))
