/** Contact changes of a card (staff, the API, a homeowner) on the client's timeline, and putting one back. */
import { and, eq } from 'drizzle-orm'
import type { OrgDb } from '../db'
import { recordEvent } from '../events'
import { events, orgClients, type FlatData, type Provenance } from '../schema'
import { type Author, type ContactChange, type FieldChange, findClient, getCard, saveCard } from './cards'

/**
 * Applies a contact change to this business's card of a person and puts each changed field on the
 * client's timeline (`contact_changed`, with who, plus `note`, e.g. the entry a revert puts back).
 * Returns the fields that changed; null without a card.
 */
export function changeCard(
  db: OrgDb,
  personId: string,
  change: ContactChange,
  author: Author,
  at = new Date().toISOString(),
  note: FlatData = {},
): FieldChange[] | null {
  const card = getCard(db, personId)
  if (!card) return null
  const stamp: Provenance = { ...author, at }
  const provenance = { ...card.provenance }
  const changes: FieldChange[] = []
  const names = { first_name: card.first_name, last_name: card.last_name }
  for (const field of ['first_name', 'last_name'] as const) {
    const to = change[field]
    if (to === undefined || to === names[field]) continue
    changes.push({ field, from: names[field], to, added: false })
    names[field] = to
    provenance[field] = stamp
  }
  const points = { email: card.emails, phone: card.phones }
  for (const field of ['email', 'phone'] as const) {
    const to = change[field]
    const list = points[field]
    if (to === undefined || to === list[0]) continue
    changes.push({ field, from: list[0] ?? null, to, added: !list.includes(to) })
    points[field] = [to, ...list.filter((v) => v !== to)]
    provenance[`${field}:${to}`] = stamp
  }
  if (changes.length === 0) return changes
  saveCard(
    db,
    {
      ...card,
      ...names,
      emails: points.email,
      phones: points.phone,
      primary_email: points.email[0] ?? null,
      primary_phone_e164: points.phone[0] ?? null,
      provenance,
    },
    at,
  )
  const clientId = ownClientId(db, personId)
  for (const c of changes) {
    recordEvent(
      db,
      'contact_changed',
      clientId,
      { ...note, field: c.field, from: c.from, to: c.to, added: c.added, source: author.source, by: author.by },
      at,
    )
  }
  return changes
}

/**
 * Puts one earlier change back: the field returns to its old value, and an email or phone that
 * the change had added is dropped. Returns the fields that changed (empty when it already was).
 * A change that gave the card its first email or phone is put back by dropping it, also on the timeline.
 */
export function revertCardChange(
  db: OrgDb,
  personId: string,
  change: FieldChange,
  author: Author,
  note: FlatData = {},
): FieldChange[] | null {
  const card = getCard(db, personId)
  if (!card) return null
  const at = new Date().toISOString()
  if (change.field === 'first_name' || change.field === 'last_name') {
    if (card[change.field] !== change.to) return []
    return changeCard(db, personId, { [change.field]: change.from ?? '' }, author, at, note)
  }
  const kind = change.field
  const list = kind === 'email' ? card.emails : card.phones
  if (list[0] !== change.to) return []
  const result = change.from ? (changeCard(db, personId, { [kind]: change.from }, author, at, note) ?? []) : []
  if (change.added) {
    const fresh = getCard(db, personId)!
    const without = (kind === 'email' ? fresh.emails : fresh.phones).filter((v) => v !== change.to)
    const provenance = { ...fresh.provenance }
    delete provenance[`${kind}:${change.to}`]
    saveCard(
      db,
      {
        ...fresh,
        provenance,
        ...(kind === 'email'
          ? { emails: without, primary_email: without[0] ?? null }
          : { phones: without, primary_phone_e164: without[0] ?? null }),
      },
      at,
    )
    if (!change.from) {
      recordEvent(
        db,
        'contact_changed',
        ownClientId(db, personId),
        {
          ...note,
          field: kind,
          from: change.to,
          to: null,
          added: false,
          removed: true,
          source: author.source,
          by: author.by,
        },
        at,
      )
      // '' for "none": the card has no email (or phone) again.
      return [{ field: kind, from: change.to, to: '', added: false }]
    }
  }
  return result
}

/** The client whose card this is (not followed through a merge: a card belongs to its own client row). */
function ownClientId(db: OrgDb, personId: string): string | null {
  return db.select({ id: orgClients.id }).from(orgClients).where(eq(orgClients.personId, personId)).get()?.id ?? null
}

/** changeCard for a client named by id or person; null when this business has no such client. */
export function changeClientCard(
  db: OrgDb,
  ref: { org_client_id?: string; person_id?: string },
  change: ContactChange,
  author: Author,
) {
  const client = findClient(db, ref)
  if (!client) return null
  const changes = changeCard(db, client.person_id, change, author) ?? []
  return { ...client, changes }
}

/** Reverts one `contact_changed` entry of a client's timeline; null when the client or entry is unknown here. */
export function revertClientChange(
  db: OrgDb,
  orgClientId: string,
  eventId: string,
  author: Author,
): FieldChange[] | null {
  const client = findClient(db, { org_client_id: orgClientId })
  if (!client) return null
  const event = db
    .select()
    .from(events)
    .where(and(eq(events.id, eventId), eq(events.orgClientId, orgClientId), eq(events.type, 'contact_changed')))
    .get()
  if (!event) return null
  const d = event.data
  const field = d.field
  if (field !== 'first_name' && field !== 'last_name' && field !== 'email' && field !== 'phone') return null
  // An entry that dropped a value has nothing to put back.
  if (typeof d.to !== 'string') return []
  return revertCardChange(
    db,
    client.person_id,
    { field, from: typeof d.from === 'string' ? d.from : null, to: d.to, added: d.added === true },
    author,
    { reverts: eventId },
  )
}
