/**
 * Checking one imported row the way POST /api/v1/clients checks a body, but forgiving: a field that
 * does not hold up (an email that is not one, a phone that does not parse, a partial address, an
 * unknown status or country, a value too long) is left out and named, and the row imports with
 * the rest. Only a row left with no name, no email and no phone is skipped.
 */
import type { AddressInput } from '../../durable-objects/org/crm/clients'
import { CLIENT_STATUSES, type ClientStatus } from '../../durable-objects/org/crm/statuses'
import { knownCountry, normalizeEmail, normalizePhone } from '../people/normalize'
import { FIELD_MAX, type ImportField, splitFullName, splitTags, type RawRow } from './columns'

/** A row ready to import: contact points normalized, names split; a row with a contact point may have no name. */
export type ImportClient = {
  first_name?: string
  last_name?: string
  email?: string
  phone?: string
  status?: ClientStatus
  tags: string[]
  notes?: string
  address?: AddressInput
  external_id?: string
}

/** A field of a row that was left out, and why. */
export type RowProblem = { field: ImportField; message: string }

/**
 * A row to import, with the fields left out (`problems`, absent when none); or a row skipped, its
 * `message` naming every problem.
 */
export type PreparedRow =
  | { ok: true; client: ImportClient; problems?: RowProblem[] }
  | { ok: false; message: string; problems: RowProblem[] }

const ADDRESS_PARTS = ['address1', 'city', 'state', 'postal'] as const
const MAX_TAGS = 50
const MAX_TAG_LENGTH = 50

/** Validates and normalizes a row: bad fields are left out and named; the row is skipped only when nothing reaches a person. */
export function prepareRow(raw: RawRow, orgCountry: string): PreparedRow {
  const problems: RowProblem[] = []
  const problem = (field: ImportField, message: string) => problems.push({ field, message })
  const fits = (field: ImportField, label: string, value = raw[field]) => {
    if (value === undefined || value.length <= FIELD_MAX[field]) return true
    problem(field, `${label} is longer than ${FIELD_MAX[field]} characters`)
    return false
  }

  const { first, last } = names(raw, problem)

  let country = orgCountry
  if (raw.country !== undefined) {
    const known = knownCountry(raw.country)
    if (known) country = known
    else problem('country', `country ${quote(raw.country)} is not a two-letter country code we know, like US or CA`)
  }
  const email = raw.email === undefined ? undefined : normalizeEmail(raw.email)
  if (email === null) problem('email', `email ${quote(raw.email!)} is not a valid email address`)
  const phone = raw.phone === undefined ? undefined : normalizePhone(raw.phone, country)
  if (phone === null) problem('phone', `phone ${quote(raw.phone!)} is not a valid phone number`)

  let status: ClientStatus | undefined
  if (raw.status !== undefined) {
    const s = raw.status.toLowerCase()
    if ((CLIENT_STATUSES as readonly string[]).includes(s)) status = s as ClientStatus
    else problem('status', `status ${quote(raw.status)} is not one of ${CLIENT_STATUSES.join(', ')}`)
  }

  let tags = splitTags(raw.tags)
  const longTags = tags.filter((t) => t.length > MAX_TAG_LENGTH)
  if (longTags.length > 0) {
    problem('tags', `tag ${quote(longTags[0]!)} is longer than ${MAX_TAG_LENGTH} characters`)
    tags = tags.filter((t) => t.length <= MAX_TAG_LENGTH)
  }
  if (tags.length > MAX_TAGS) {
    problem('tags', `more than ${MAX_TAGS} tags (the first ${MAX_TAGS} were kept)`)
    tags = tags.slice(0, MAX_TAGS)
  }

  const address = addressOf(raw, country, problem, fits)
  const externalId = fits('external_id', 'external id') ? raw.external_id : undefined
  const notes = fits('notes', 'notes') ? raw.notes : undefined

  if (!first && !last && !email && !phone) {
    const left = 'nothing left to import: no name, email or phone'
    return { ok: false, message: capitalize([...problems.map((p) => p.message), left].join('; ')), problems }
  }
  const client: ImportClient = {
    ...(first ? { first_name: first } : {}),
    ...(last ? { last_name: last } : {}),
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
    ...(status ? { status } : {}),
    tags,
    ...(notes ? { notes } : {}),
    ...(address ? { address } : {}),
    ...(externalId ? { external_id: externalId } : {}),
  }
  return problems.length > 0 ? { ok: true, client, problems } : { ok: true, client }
}

/** A row's problems as one sentence, e.g. "Email "x" is not a valid email address; left out, the rest of the row was imported". */
export function problemText(problems: RowProblem[]): string {
  return `${capitalize(problems.map((p) => p.message).join('; '))}; left out, the rest of the row was imported`
}

/** The first and last name: first and last columns, else one full name split; a name too long is left out. */
function names(raw: RawRow, problem: (field: ImportField, message: string) => void) {
  const split = raw.name ? splitFullName(raw.name) : undefined
  let first = raw.first_name ?? split?.first
  let last = raw.first_name ? raw.last_name : (raw.last_name ?? split?.last)
  if (raw.first_name === undefined && raw.name !== undefined && raw.name.length > FIELD_MAX.name) {
    problem('name', `name is longer than ${FIELD_MAX.name} characters`)
    first = undefined
    last = undefined
  }
  if ((first?.length ?? 0) > FIELD_MAX.first_name) {
    problem(raw.first_name ? 'first_name' : 'name', `first name is longer than ${FIELD_MAX.first_name} characters`)
    first = undefined
  }
  if ((last?.length ?? 0) > FIELD_MAX.last_name) {
    problem(raw.first_name ? 'last_name' : 'name', `last name is longer than ${FIELD_MAX.last_name} characters`)
    last = undefined
  }
  if (!first && !last && raw.first_name === undefined && raw.name === undefined) problem('name', 'name is missing')
  return { first, last }
}

/** The row's address when it is whole; a partial or too long one is left out and named. */
function addressOf(
  raw: RawRow,
  country: string,
  problem: (field: ImportField, message: string) => void,
  fits: (field: ImportField, label: string) => boolean,
): AddressInput | undefined {
  const hasAddress = ADDRESS_PARTS.some((p) => raw[p] !== undefined) || raw.address2 !== undefined
  if (!hasAddress) return undefined
  const missing = ADDRESS_PARTS.filter((p) => raw[p] === undefined)
  if (missing.length > 0)
    problem('address1', `address is missing ${missing.map((m) => (m === 'address1' ? 'street' : m)).join(', ')}`)
  const allFit = [...ADDRESS_PARTS, 'address2' as const]
    .map((part) => fits(part, part === 'address1' ? 'street' : part))
    .every(Boolean)
  if (missing.length > 0 || !allFit) return undefined
  return {
    address1: raw.address1!,
    city: raw.city!,
    state: raw.state!,
    postal: raw.postal!,
    country,
    ...(raw.address2 ? { address2: raw.address2 } : {}),
  }
}

/** A value as an error message shows it: quoted, and cut short when long. */
function quote(value: string): string {
  return `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}"`
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
