/**
 * Checking one imported row the way POST /api/v1/clients checks a body: a name is required,
 * email and phone are optional but must parse, status must be known, an address must be whole.
 */
import type { AddressInput } from '../../durable-objects/org/crm/clients'
import { CLIENT_STATUSES, type ClientStatus } from '../../durable-objects/org/crm/statuses'
import { knownCountry, normalizeEmail, normalizePhone } from '../people/normalize'
import { FIELD_MAX, splitFullName, splitTags, type RawRow } from './columns'

/** A row ready to import: contact points normalized, names split. */
export type ImportClient = {
  first_name: string
  last_name?: string
  email?: string
  phone?: string
  status?: ClientStatus
  tags: string[]
  notes?: string
  address?: AddressInput
  external_id?: string
}

export type PreparedRow = { ok: true; client: ImportClient } | { ok: false; message: string }

const ADDRESS_PARTS = ['address1', 'city', 'state', 'postal'] as const
const MAX_TAGS = 50
const MAX_TAG_LENGTH = 50

/** Validates and normalizes a row; every problem of the row is named in one message. */
export function prepareRow(raw: RawRow, orgCountry: string): PreparedRow {
  const problems: string[] = []
  const tooLong = (field: keyof typeof FIELD_MAX, label: string) => {
    const value = raw[field]
    if (value !== undefined && value.length > FIELD_MAX[field])
      problems.push(`${label} is longer than ${FIELD_MAX[field]} characters`)
  }

  const split = raw.name ? splitFullName(raw.name) : undefined
  const first = raw.first_name ?? split?.first
  const last = raw.first_name ? raw.last_name : (raw.last_name ?? split?.last)
  if (!first) problems.push('name is missing')
  if (raw.first_name === undefined) tooLong('name', 'name')
  if ((first?.length ?? 0) > FIELD_MAX.first_name)
    problems.push(`first name is longer than ${FIELD_MAX.first_name} characters`)
  if ((last?.length ?? 0) > FIELD_MAX.last_name)
    problems.push(`last name is longer than ${FIELD_MAX.last_name} characters`)

  let country = orgCountry
  if (raw.country !== undefined) {
    const known = knownCountry(raw.country)
    if (known) country = known
    else problems.push(`country ${quote(raw.country)} is not a two-letter country code we know, like US or CA`)
  }
  const email = raw.email === undefined ? undefined : normalizeEmail(raw.email)
  if (email === null) problems.push(`email ${quote(raw.email!)} is not a valid email address`)
  const phone = raw.phone === undefined ? undefined : normalizePhone(raw.phone, country)
  if (phone === null) problems.push(`phone ${quote(raw.phone!)} is not a valid phone number`)

  let status: ClientStatus | undefined
  if (raw.status !== undefined) {
    const s = raw.status.toLowerCase()
    if ((CLIENT_STATUSES as readonly string[]).includes(s)) status = s as ClientStatus
    else problems.push(`status ${quote(raw.status)} is not one of ${CLIENT_STATUSES.join(', ')}`)
  }

  const tags = splitTags(raw.tags)
  if (tags.length > MAX_TAGS) problems.push(`more than ${MAX_TAGS} tags`)
  const longTag = tags.find((t) => t.length > MAX_TAG_LENGTH)
  if (longTag) problems.push(`tag ${quote(longTag)} is longer than ${MAX_TAG_LENGTH} characters`)

  let address: AddressInput | undefined
  const hasAddress = ADDRESS_PARTS.some((p) => raw[p] !== undefined) || raw.address2 !== undefined
  if (hasAddress) {
    const missing = ADDRESS_PARTS.filter((p) => raw[p] === undefined)
    if (missing.length > 0)
      problems.push(`address is missing ${missing.map((m) => (m === 'address1' ? 'street' : m)).join(', ')}`)
    for (const part of [...ADDRESS_PARTS, 'address2'] as const) tooLong(part, part === 'address1' ? 'street' : part)
    if (missing.length === 0) {
      address = {
        address1: raw.address1!,
        city: raw.city!,
        state: raw.state!,
        postal: raw.postal!,
        country,
        ...(raw.address2 ? { address2: raw.address2 } : {}),
      }
    }
  }
  tooLong('external_id', 'external id')
  tooLong('notes', 'notes')

  if (problems.length > 0) return { ok: false, message: capitalize(problems.join('; ')) }
  return {
    ok: true,
    client: {
      first_name: first!,
      ...(last ? { last_name: last } : {}),
      ...(email ? { email } : {}),
      ...(phone ? { phone } : {}),
      ...(status ? { status } : {}),
      tags,
      ...(raw.notes ? { notes: raw.notes } : {}),
      ...(address ? { address } : {}),
      ...(raw.external_id ? { external_id: raw.external_id } : {}),
    },
  }
}

/** A value as an error message shows it: quoted, and cut short when long. */
function quote(value: string): string {
  return `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}"`
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
