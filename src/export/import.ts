/**
 * An export file read back into a new business. The file's own ids stay (they only ever name rows
 * inside this business's object); the registry's ids never come from the file: each card's person is
 * found or made by the same matching a CSV import uses, crews are matched to this team by email,
 * and consent is written for this business only, before anything could be sent.
 */
import { unwrap } from '../../durable-objects/org/result'
import type { ExportRow } from '../../durable-objects/org/export/dump'
import type { RestoreCounts, RestoreData } from '../../durable-objects/org/export/restore'
import { type ExportTable, TABLE_NAMES, TABLES } from '../../durable-objects/org/export/tables'
import { resolveCards } from '../clients/intake'
import { peopleDb } from '../db'
import type { Env } from '../env'
import { conflict, invalidInput, type Issue, zodIssues } from '../errors'
import { type Organization, orgStub, updateOrganization } from '../organizations'
import { normalizeEmail, normalizePhone } from '../people/normalize'
import { linkImportedPeople } from '../people/registry'
import { organizationPatch } from '../routes/api/organization'
import { listTeam } from '../team'
import { writeConsents } from './registry-rows'
import { port } from './remote'
import { type ExportFile, readExportFile } from './validate'

/** The organization's settings an import carries over; its name, sender number and Stripe account stay the new business's own. */
const CARRIED_SETTINGS = [
  'timezone',
  'google_review_url',
  'phone',
  'address',
  'default_tax_rate',
  'logo_text',
  'brand_color',
  'quiet_hours',
  'payment_instructions',
  'marketing_cap_per_day',
  'campaign_batch_size',
  'reminders',
] as const

/** People resolved per registry call, as a CSV import's batch. */
const RESOLVE_BATCH = 100

export type ImportAnswer = {
  organization_id: string
  imported: RestoreCounts & { consents: number }
  /** Crew members of the file that are not on this team (matched by email), left off their jobs. */
  crew_left_out: string[]
  /** Tables exported for keeping, not imported (the sales pipeline). */
  not_imported: ExportTable[]
}

/** Imports a checked file into an organization that has no clients yet (else 409); 400 before any write for a bad file. */
export async function importExport(env: Env, organization: Organization, body: unknown): Promise<ImportAnswer> {
  const file = readExportFile(body)
  const cards = checkCards(file, organization.country)
  const settings = organizationPatch.safeParse(
    Object.fromEntries(
      CARRIED_SETTINGS.filter((k) => file.organization[k] !== undefined).map((k) => [k, file.organization[k]]),
    ),
  )
  if (!settings.success)
    throw invalidInput(
      zodIssues(settings.error).map((i) => ({ ...i, path: `organization.${i.path}` })),
      'The export file is not valid.',
    )

  const org = orgStub(env, organization.id)
  if ((await port(org).occupancy()).clients > 0)
    throw conflict('This business already has clients; import into a new business.')

  const db = peopleDb(env.PEOPLE)
  const team = new Map((await listTeam(db, organization.id)).map((m) => [m.email.toLowerCase(), m.user_id]))
  const userOf = new Map<string, string>()
  for (const m of file.team) {
    const mine = team.get(m.email.toLowerCase())
    if (mine) userOf.set(m.user_id, mine)
  }
  const crew = new Set([
    ...file.job_crew.map((r) => String(r['user_id'])),
    ...file.job_series.flatMap((s) => crewIds(s['assigned_to'])),
  ])
  const emailOf = new Map(file.team.map((m) => [m.user_id, m.email]))
  const left = [...crew].filter((id) => !userOf.has(id)).map((id) => emailOf.get(id) ?? id)

  // Consent first: nothing this business sends can reach someone the file says opted out.
  // (A consent is only ever lowered by a file, so one written before a failed import does no harm.)
  await writeConsents(db, organization.id, file.consents)

  const personOf = await resolvePersons(env, organization.id, cards)
  const data = remap(file, personOf, userOf, new Map(cards.map((c) => [c.person_id, c])), organization.country)
  const counts = unwrap(await port(org).restore(data))
  // The business's settings change only once its rows are in.
  if (Object.keys(settings.data).length > 0) await updateOrganization(env, organization, org, settings.data)

  const live = cards.filter((c) => !c.merged)
  await linkImportedPeople(
    db,
    organization.id,
    live.map((c) => personOf.get(c.person_id)!),
    live
      .filter((c) => !c.email && !c.phone)
      .map((c) => ({ person_id: personOf.get(c.person_id)!, first_name: c.first_name, last_name: c.last_name })),
  )
  return {
    organization_id: organization.id,
    imported: { ...counts, consents: file.consents.length },
    crew_left_out: left,
    not_imported: TABLE_NAMES.filter((n) => !TABLES[n].imported && file[n].length > 0),
  }
}

type Card = {
  person_id: string
  first_name: string | null
  last_name: string | null
  email: string | null
  phone: string | null
  merged: boolean
  /** Every email and phone of the card as the app stores them (normalized), written instead of the file's text. */
  emails: string[]
  phones: string[]
}

/** An email or phone as the app stores it; null when it is neither. */
function normalizePoint(point: string, country: string): string | null {
  return point.includes('@') ? normalizeEmail(point) : normalizePhone(point, country)
}

/** Each client's card, its primary email and phone normalized; a consent only for a point on some card. */
function checkCards(file: ExportFile, country: string): Card[] {
  const issues: Issue[] = []
  const merged = new Set(file.clients.filter((c) => c['merged_into']).map((c) => c['person_id']))
  const points = new Set<string>()
  const emails = new Map<string, number>()
  const cards = file.client_cards.map((row, i): Card => {
    const text = (k: string) => (typeof row[k] === 'string' ? (row[k] as string) : null)
    const rawEmail = text('primary_email')
    const rawPhone = text('primary_phone_e164')
    const email = rawEmail ? normalizeEmail(rawEmail) : null
    const phone = rawPhone ? normalizePhone(rawPhone, country) : null
    if (rawEmail && !email) issues.push({ path: `client_cards.${i}.primary_email`, message: 'is not an email address' })
    if (rawPhone && !phone)
      issues.push({ path: `client_cards.${i}.primary_phone_e164`, message: 'is not a phone number' })
    // Stored as the app writes them, so consent, a STOP and a reply find the card (never the file's own spelling).
    const lists: Record<'emails' | 'phones', string[]> = { emails: [], phones: [] }
    for (const k of ['emails', 'phones'] as const) {
      const list = row[k] ?? []
      if (!Array.isArray(list) || list.length > 20 || list.some((p) => typeof p !== 'string' || p.length > 320)) {
        issues.push({ path: `client_cards.${i}.${k}`, message: 'must be a list of at most 20 strings' })
        continue
      }
      ;(list as string[]).forEach((p, j) => {
        const normal = k === 'emails' ? normalizeEmail(p) : normalizePhone(p, country)
        if (!normal)
          issues.push({
            path: `client_cards.${i}.${k}.${j}`,
            message: `is not ${k === 'emails' ? 'an email address' : 'a phone number'}`,
          })
        else if (!lists[k].includes(normal)) lists[k].push(normal)
      })
    }
    for (const p of [...lists.emails, ...lists.phones]) points.add(p)
    for (const p of [email, phone]) if (p) points.add(p)
    const isMerged = merged.has(row['person_id'])
    if (email && !isMerged) {
      if (emails.has(email))
        issues.push({
          path: `client_cards.${i}.primary_email`,
          message: `is also the email of card ${emails.get(email)}`,
        })
      emails.set(email, i)
    }
    return {
      person_id: String(row['person_id']),
      first_name: text('first_name'),
      last_name: text('last_name'),
      email,
      phone,
      merged: isMerged,
      emails: lists.emails,
      phones: lists.phones,
    }
  })
  file.consents.forEach((c, i) => {
    const point = normalizePoint(c.point, country)
    if (!point || !points.has(point))
      issues.push({ path: `consents.${i}.point`, message: 'is on no client card of the file' })
    else c.point = point
  })
  if (issues.length > 0) throw invalidInput(issues.slice(0, 50), 'The export file is not valid.')
  return cards
}

/** This business's person id for each card of the file: the registry's match, or a new person. */
async function resolvePersons(env: Env, organizationId: string, cards: Card[]): Promise<Map<string, string>> {
  const personOf = new Map<string, string>()
  const matched = cards.filter((c) => !c.merged && (c.email || c.phone))
  const author = { source: 'import' as const, by: 'export file' }
  for (let i = 0; i < matched.length; i += RESOLVE_BATCH) {
    const batch = matched.slice(i, i + RESOLVE_BATCH)
    const resolved = await resolveCards(env, organizationId, batch, author)
    batch.forEach((c, j) => {
      personOf.set(c.person_id, resolved[j]!.person_id)
    })
  }
  for (const c of cards) if (!personOf.has(c.person_id)) personOf.set(c.person_id, crypto.randomUUID())
  const taken = new Set<string>()
  for (const id of personOf.values()) {
    if (taken.has(id))
      throw conflict(
        'Two clients of the file are one person here (same email or phone and name); merge them and export again.',
      )
    taken.add(id)
  }
  return personOf
}

/** The file's rows with this business's person and team ids, references to what is not imported cleared, and unsent messages never sent again. */
function remap(
  file: ExportFile,
  personOf: Map<string, string>,
  userOf: Map<string, string>,
  cardOf: Map<string, Card>,
  country: string,
): RestoreData {
  const data: RestoreData = {}
  for (const name of TABLE_NAMES) {
    if (!TABLES[name].imported) continue
    const rows: ExportRow[] = []
    for (const source of file[name]) {
      const row: ExportRow = { ...source }
      if (name === 'client_cards')
        Object.assign(row, normalizedContacts(row, cardOf.get(String(source['person_id'])), country))
      let keep = true
      for (const [column, ref] of Object.entries(TABLES[name].refs)) {
        const v = row[column]
        if (v === null || v === undefined) continue
        if (ref === 'person') row[column] = personOf.get(String(v))
        else if (ref === 'drop') row[column] = null
        else if (ref === 'user') {
          const mine = userOf.get(String(v))
          if (mine) row[column] = mine
          else keep = false
        } else if (ref === 'users') row[column] = JSON.stringify(crewOf(v, userOf))
      }
      if (name === 'messages' && (row['status'] === 'queued' || row['status'] === 'deferred')) {
        row['status'] = 'skipped'
        row['reason'] = 'Imported from an export: not sent by this business.'
      }
      if (keep) rows.push(row)
    }
    data[name] = rows
  }
  return data
}

/** A card's emails and phones as checked (normalized), its provenance keyed by them. */
function normalizedContacts(row: ExportRow, card: Card | undefined, country: string): ExportRow {
  if (!card) return {}
  const provenance: Record<string, unknown> = {}
  const stamps =
    row['provenance'] && typeof row['provenance'] === 'object' ? (row['provenance'] as Record<string, unknown>) : {}
  for (const [key, stamp] of Object.entries(stamps)) {
    const [, kind, value] = key.match(/^(email|phone):(.*)$/) ?? []
    const normal = kind && value ? normalizePoint(value, country) : null
    provenance[normal ? `${kind}:${normal}` : key] = stamp
  }
  return {
    primary_email: card.email,
    primary_phone_e164: card.phone,
    emails: card.emails,
    phones: card.phones,
    provenance,
  }
}

/** The user ids of a series' crew (JSON text of a list). */
function crewIds(value: unknown): string[] {
  try {
    const ids: unknown = typeof value === 'string' ? JSON.parse(value) : value
    return Array.isArray(ids) ? ids.map(String) : []
  } catch {
    return []
  }
}

/** A series' crew with only the people on this team, by their ids here. */
function crewOf(value: unknown, userOf: Map<string, string>): string[] {
  return crewIds(value).flatMap((id) => (userOf.has(id) ? [userOf.get(id)!] : []))
}
