/**
 * Our canonical form of a CRM change, whatever the provider: each provider's mapper turns a
 * webhook (and the items it fetched) into these, and one path applies them. Plus the small
 * readers the mappers share for the providers' loosely typed JSON.
 */
import { knownCountry } from '../../people/normalize'
import { isIsoDate } from '../../time'

/** A provider's customer as we need it; contact points still raw (normalized when applied). */
export type CanonicalContact = {
  external_id: string
  first_name: string | null
  last_name: string | null
  /** The company the customer is or works for: it becomes a commercial account, never a part of the name. */
  company: string | null
  /** The CRM's own id of that company, when it has one (a ServiceTitan commercial customer is its company). */
  company_id?: string | null
  email: string | null
  phone: string | null
  address: { address1: string; address2?: string; city: string; state: string; postal: string; country?: string } | null
  is_lead: boolean
  /** The provider's own last-change time (ISO), when it gives one. */
  updated_at: string | null
}

export type CrmJob = {
  external_id: string
  /** The state the provider reports; applied forward only. */
  status: 'scheduled' | 'completed' | 'cancelled'
  start_at: string | null
  end_at: string | null
  completed_at: string | null
  total_cents: number | null
  title: string | null
  updated_at: string | null
  /** The CRM's job type (a connection's `service_map` turns it into our service). */
  job_type_id?: string | null
}

export type CrmInvoice = {
  external_id: string
  job_external_id: string | null
  total_cents: number
  /** YYYY-MM-DD. */
  due_date: string | null
  status: 'draft' | 'open' | 'paid' | 'void'
  /** When the provider says paid, settle our balance here (false when a payment change follows and pays it). */
  settle: boolean
  updated_at: string | null
}

export type CrmPayment = { external_id: string; invoice_external_id: string; amount_cents: number }

export type CanonicalChange =
  | { kind: 'client'; op: 'created' | 'updated'; client: CanonicalContact }
  | { kind: 'job'; client: CanonicalContact | null; job: CrmJob }
  | { kind: 'invoice'; client: CanonicalContact | null; invoice: CrmInvoice }
  | { kind: 'payment'; payment: CrmPayment }
  | { kind: 'disconnect'; reason: string }

/** One authenticated, logged request to the provider's API, answering its JSON (see process.ts). */
export type ProviderApi = (label: string, url: string, init?: RequestInit) => Promise<unknown>

/** A failure that retrying will not fix (the item is gone, the connection has no token): logged, not retried. */
export class PermanentError extends Error {}

/** A JSON object as the providers send it, read through the helpers below. */
export type Json = Record<string, unknown>

/** The value as an object, or an empty one. */
export function obj(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {}
}

/** The value as an array, or an empty one. */
export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

/** A non-empty trimmed string, or null (numbers become strings: providers send ids both ways). */
export function str(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null
}

/** A finite number (numeric strings too), or null. */
export function num(value: unknown): number | null {
  const n = typeof value === 'string' ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) ? n : null
}

/** Dollars (a float, as Jobber and QuickBooks send) to whole cents. */
export function cents(dollars: unknown): number | null {
  const n = num(dollars)
  return n === null ? null : Math.round(n * 100)
}

/** A timestamp in UTC ISO form, or null when absent or unreadable. */
export function iso(value: unknown): string | null {
  const s = str(value)
  const t = s ? Date.parse(s) : NaN
  return Number.isNaN(t) ? null : new Date(t).toISOString()
}

/** The calendar date (YYYY-MM-DD) a provider's date or timestamp starts with, or null (also for an impossible one). */
export function dateOnly(value: unknown): string | null {
  const date = str(value)?.slice(0, 10)
  return date && isIsoDate(date) ? date : null
}

/** An address when it has the parts a property needs, else null. */
export function address(parts: {
  address1: unknown
  address2?: unknown
  city: unknown
  state: unknown
  postal: unknown
  country?: unknown
}): CanonicalContact['address'] {
  const [address1, city, state, postal] = [str(parts.address1), str(parts.city), str(parts.state), str(parts.postal)]
  if (!address1 || !city || !state || !postal) return null
  const address2 = str(parts.address2)
  const country = countryCode(parts.country)
  return { address1, city, state, postal, ...(address2 ? { address2 } : {}), ...(country ? { country } : {}) }
}

/** A country code phone numbering knows from what a provider sends ("US", "United States", "Canada"); else null. */
function countryCode(value: unknown): string | null {
  const s = str(value)
  if (!s) return null
  const known = knownCountry(s)
  if (known) return known
  const named: Record<string, string> = {
    'united states': 'US',
    usa: 'US',
    'united states of america': 'US',
    canada: 'CA',
    'united kingdom': 'GB',
    australia: 'AU',
  }
  return named[s.toLowerCase()] ?? null
}
