/**
 * A homeowner's own change of their details, sent from the portal to this business: the card's
 * name, phone and email (new ones primary, old ones kept as secondary), the service address, a
 * `contact_changed` timeline entry per field, and a task that tells staff what changed.
 */
import { eq } from 'drizzle-orm'
import { phone as displayPhone } from '../../../views/format'
import { addAddress, changeAddress, oneLine } from '../cards/addresses'
import type { Author, ContactChange, FieldChange } from '../cards/cards'
import { changeCard } from '../cards/contact-changes'
import type { OrgDb } from '../db'
import { addresses, orgClients, profile, tasks } from '../schema'
import { portalClientFor } from './proof'

export type HomeownerAddress = { address1: string; address2?: string; city: string; state: string; postal: string }

/** What the homeowner typed: only the fields given change. */
export type HomeownerChange = ContactChange & { address?: HomeownerAddress }

/** What changed here: the client, each change in words ("phone → (415) 555-0199"), and the staff task (null when nothing changed). */
export type AppliedChange = { org_client_id: string; person_id: string; changed: string[]; task_id: string | null }

/**
 * Applies the homeowner's change to this business's card of the person, written as
 * `{source: 'homeowner', by: accountId}`. Null (nothing written) when the card holds none of the
 * account's proven points: a homeowner reaches only the businesses they can see.
 */
export function applyHomeownerChange(
  db: OrgDb,
  personId: string,
  provenPoints: string[],
  change: HomeownerChange,
  accountId: string,
  now = new Date(),
): AppliedChange | null {
  const client = portalClientFor(db, personId, provenPoints)
  if (!client) return null
  const author: Author = { source: 'homeowner', by: accountId }
  const at = now.toISOString()
  const { address, ...contact } = change
  const fields = changeCard(db, client.person_id, contact, author, at) ?? []
  const changed = describe(fields)
  if (address) {
    const moved = saveAddress(db, client.org_client_id, address, author, at)
    if (moved) changed.push(`address → ${moved}`)
  }
  if (changed.length === 0) return { ...client, changed, task_id: null }
  const taskId = crypto.randomUUID()
  db.insert(tasks)
    .values({
      id: taskId,
      type: 'contact_changed',
      orgClientId: client.org_client_id,
      note: changed.join('; '),
      status: 'open',
      createdAt: at,
    })
    .run()
  return { ...client, changed, task_id: taskId }
}

/** The changed fields in words; a first and last name together read as one "name". */
function describe(fields: FieldChange[]): string[] {
  const out: string[] = []
  const first = fields.find((f) => f.field === 'first_name')
  const last = fields.find((f) => f.field === 'last_name')
  if (first && last) out.push(`name → ${first.to} ${last.to}`)
  else if (first) out.push(`first name → ${first.to}`)
  else if (last) out.push(`last name → ${last.to}`)
  for (const f of fields) {
    if (f.field === 'phone') out.push(`phone → ${displayPhone(f.to)}`)
    if (f.field === 'email') out.push(`email → ${f.to}`)
  }
  return out
}

/** Updates the client's default address, or adds one as the default; the new address on one line when it changed, else null. */
function saveAddress(
  db: OrgDb,
  orgClientId: string,
  address: HomeownerAddress,
  author: Author,
  at: string,
): string | null {
  const fields = {
    address1: address.address1,
    address2: address.address2 ?? null,
    city: address.city,
    state: address.state,
    postal: address.postal,
  }
  const defaultId =
    db.select({ id: orgClients.defaultAddressId }).from(orgClients).where(eq(orgClients.id, orgClientId)).get()?.id ??
    null
  const before = defaultId ? db.select().from(addresses).where(eq(addresses.id, defaultId)).get() : undefined
  if (before) {
    const after = changeAddress(db, orgClientId, before.id, fields, author, at)
    return oneLine(before) === oneLine(after) ? null : oneLine(after)
  }
  const country = db.select({ country: profile.country }).from(profile).where(eq(profile.id, 1)).get()?.country ?? 'US'
  const added = addAddress(
    db,
    orgClientId,
    { ...fields, address2: address.address2, country, is_default: true },
    author,
    at,
  )
  return oneLine(added)
}
