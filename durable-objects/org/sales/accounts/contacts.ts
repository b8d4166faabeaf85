/**
 * The people at an account. A contact is on a lead or on a client, never both, or stands alone
 * (a name only); one contact per account is primary, and the first one added is. A contact on a
 * client shows the client's card as it is now, and the client's `account_id` says which account.
 */
import { and, asc, eq, inArray, isNull, ne, type SQL } from 'drizzle-orm'
import { conflict, invalidInput, notFound } from '../../../../src/errors'
import type { OrgDb } from '../../db'
import { accountContacts, contacts, leads, orgClients } from '../../schema'
import { requireAccount } from './accounts'

export type AccountContact = {
  contact_id: string
  account_id: string
  first_name: string
  last_name: string | null
  email: string | null
  phone: string | null
  role: string | null
  is_primary: boolean
  org_client_id?: string
  lead_id?: string
  created_at: string
}

export type NewContact = {
  first_name?: string
  last_name?: string
  email?: string
  phone?: string
  role?: string
  is_primary?: boolean
  org_client_id?: string
  lead_id?: string
}

export type ContactPatch = {
  first_name?: string
  last_name?: string | null
  role?: string | null
  is_primary?: boolean
}

/** Contacts with what their client's card or lead says now. */
function selectContacts(db: OrgDb, where: SQL | undefined): AccountContact[] {
  return db
    .select({
      row: accountContacts,
      card: {
        first: contacts.firstName,
        last: contacts.lastName,
        email: contacts.primaryEmail,
        phone: contacts.primaryPhoneE164,
      },
      lead: { first: leads.firstName, last: leads.lastName, email: leads.email, phone: leads.phone },
    })
    .from(accountContacts)
    .leftJoin(orgClients, eq(orgClients.id, accountContacts.orgClientId))
    .leftJoin(contacts, eq(contacts.personId, orgClients.personId))
    .leftJoin(leads, eq(leads.id, accountContacts.leadId))
    .where(where)
    .orderBy(asc(accountContacts.createdAt), asc(accountContacts.id))
    .all()
    .map(({ row, card, lead }) => {
      const live = row.orgClientId ? card : row.leadId ? lead : null
      return {
        contact_id: row.id,
        account_id: row.accountId,
        first_name: live?.first || row.firstName,
        last_name: live ? (live.last ?? null) : row.lastName,
        email: live ? (live.email ?? null) : row.email,
        phone: live ? (live.phone ?? null) : row.phone,
        role: row.role,
        is_primary: row.isPrimary,
        ...(row.orgClientId ? { org_client_id: row.orgClientId } : {}),
        ...(row.leadId ? { lead_id: row.leadId } : {}),
        created_at: row.createdAt,
      }
    })
}

/** An account's contacts, the primary first, then in the order they were added. */
export function listContacts(db: OrgDb, accountId: string): AccountContact[] {
  const all = selectContacts(db, eq(accountContacts.accountId, accountId))
  return [...all.filter((c) => c.is_primary), ...all.filter((c) => !c.is_primary)]
}

/** The primary contact of each of these accounts, by account id. */
export function primaryContacts(db: OrgDb, accountIds: string[]): Map<string, AccountContact> {
  const found = new Map<string, AccountContact>()
  // At most 100 bound parameters per statement.
  for (let i = 0; i < accountIds.length; i += 90) {
    const chunk = accountIds.slice(i, i + 90)
    for (const c of selectContacts(
      db,
      and(inArray(accountContacts.accountId, chunk), eq(accountContacts.isPrimary, true)),
    ))
      found.set(c.account_id, c)
  }
  return found
}

/** One contact of the account, or a 404 (another account's contact is not found either). */
export function requireContact(db: OrgDb, accountId: string, contactId: string): AccountContact {
  const [found] = selectContacts(db, and(eq(accountContacts.id, contactId), eq(accountContacts.accountId, accountId)))
  if (!found) throw notFound('contact')
  return found
}

/** Makes this contact the account's primary, taking the flag from the old one first (one primary per account). */
function makePrimary(db: OrgDb, accountId: string, contactId: string, at: string): void {
  db.update(accountContacts)
    .set({ isPrimary: false, updatedAt: at })
    .where(
      and(
        eq(accountContacts.accountId, accountId),
        eq(accountContacts.isPrimary, true),
        ne(accountContacts.id, contactId),
      ),
    )
    .run()
  db.update(accountContacts).set({ isPrimary: true, updatedAt: at }).where(eq(accountContacts.id, contactId)).run()
}

/** Whether the account has a primary contact. */
const hasPrimary = (db: OrgDb, accountId: string) =>
  db
    .select({ id: accountContacts.id })
    .from(accountContacts)
    .where(and(eq(accountContacts.accountId, accountId), eq(accountContacts.isPrimary, true)))
    .get() !== undefined

/** The client a contact links, with its card; 404 unless this business holds it. */
function clientToLink(db: OrgDb, orgClientId: string) {
  const client = db
    .select({ accountId: orgClients.accountId, first: contacts.firstName, last: contacts.lastName })
    .from(orgClients)
    .innerJoin(contacts, eq(contacts.personId, orgClients.personId))
    .where(and(eq(orgClients.id, orgClientId), isNull(orgClients.mergedInto)))
    .get()
  if (!client) throw notFound('client')
  return client
}

/**
 * Adds a contact: a client or a lead of this business linked (404 when it holds no such one, 409
 * when it is another account's contact), or a name standing alone. The first contact, or one added
 * with `is_primary`, becomes the primary. A client or lead already on this account answers with
 * its contact (`created: false`).
 */
export function addContact(
  db: OrgDb,
  accountId: string,
  input: NewContact,
  now: Date,
): { contact: AccountContact; created: boolean } {
  requireAccount(db, accountId)
  if (input.org_client_id && input.lead_id)
    throw invalidInput([{ path: 'lead_id', message: 'a contact is on a lead or on a client, not both' }])
  let names = { first: input.first_name ?? null, last: input.last_name ?? null }
  if (input.org_client_id) {
    const client = clientToLink(db, input.org_client_id)
    const mine = existing(db, eq(accountContacts.orgClientId, input.org_client_id))
    if ((client.accountId && client.accountId !== accountId) || (mine && mine.accountId !== accountId))
      throw conflict('This client is a contact of another account.')
    if (mine) return { contact: requireContact(db, accountId, mine.id), created: false }
    names = { first: names.first ?? client.first, last: names.last ?? client.last }
  }
  if (input.lead_id) {
    const lead = db.select().from(leads).where(eq(leads.id, input.lead_id)).get()
    if (!lead) throw notFound('lead')
    if (lead.isConverted) throw conflict('This lead became a client: add the client as the contact instead.')
    const mine = existing(db, eq(accountContacts.leadId, input.lead_id))
    if ((lead.accountId && lead.accountId !== accountId) || (mine && mine.accountId !== accountId))
      throw conflict('This lead is a contact of another account.')
    if (mine) return { contact: requireContact(db, accountId, mine.id), created: false }
    names = { first: names.first ?? lead.firstName, last: names.last ?? lead.lastName }
  }
  if (!names.first && !input.org_client_id && !input.lead_id)
    throw invalidInput([{ path: 'first_name', message: 'is required' }])

  const at = now.toISOString()
  const id = crypto.randomUUID()
  const primary = input.is_primary === true || !hasPrimary(db, accountId)
  db.insert(accountContacts)
    .values({
      id,
      accountId,
      firstName: names.first ?? '',
      lastName: names.last,
      email: input.email ?? null,
      phone: input.phone ?? null,
      role: input.role ?? null,
      isPrimary: false,
      leadId: input.lead_id ?? null,
      orgClientId: input.org_client_id ?? null,
      createdAt: at,
      updatedAt: at,
    })
    .run()
  if (primary) makePrimary(db, accountId, id, at)
  if (input.org_client_id) db.update(orgClients).set({ accountId }).where(eq(orgClients.id, input.org_client_id)).run()
  if (input.lead_id) db.update(leads).set({ accountId }).where(eq(leads.id, input.lead_id)).run()
  return { contact: requireContact(db, accountId, id), created: true }
}

function existing(db: OrgDb, where: SQL) {
  return db
    .select({ id: accountContacts.id, accountId: accountContacts.accountId })
    .from(accountContacts)
    .where(where)
    .get()
}

/**
 * Changes a contact's role or names, or makes it the primary (the old primary loses the flag in
 * the same write). The primary is moved, never dropped: `is_primary: false` on it is a 409.
 */
export function updateContact(
  db: OrgDb,
  accountId: string,
  contactId: string,
  patch: ContactPatch,
  now: Date,
): AccountContact {
  const current = requireContact(db, accountId, contactId)
  const at = now.toISOString()
  if (patch.is_primary === false && current.is_primary)
    throw conflict('An account keeps one primary contact: make another contact the primary instead.')
  db.update(accountContacts)
    .set({
      ...(patch.first_name !== undefined ? { firstName: patch.first_name } : {}),
      ...(patch.last_name !== undefined ? { lastName: patch.last_name } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      updatedAt: at,
    })
    .where(eq(accountContacts.id, contactId))
    .run()
  if (patch.is_primary === true && !current.is_primary) makePrimary(db, accountId, contactId, at)
  return requireContact(db, accountId, contactId)
}

/**
 * Takes a contact off the account: its client stays a client (and its lead a lead), no longer on
 * the account. When it was the primary, the contact added first after it becomes the primary.
 */
export function removeContact(db: OrgDb, accountId: string, contactId: string, now: Date): { removed: true } {
  const current = requireContact(db, accountId, contactId)
  unlink(db, current, now.toISOString())
  return { removed: true }
}

/** Deletes the contact row and clears its client's or lead's account; the next contact becomes primary when needed. */
function unlink(db: OrgDb, contact: AccountContact, at: string): void {
  db.delete(accountContacts).where(eq(accountContacts.id, contact.contact_id)).run()
  if (contact.org_client_id)
    db.update(orgClients)
      .set({ accountId: null })
      .where(and(eq(orgClients.id, contact.org_client_id), eq(orgClients.accountId, contact.account_id)))
      .run()
  if (contact.lead_id)
    db.update(leads)
      .set({ accountId: null })
      .where(and(eq(leads.id, contact.lead_id), eq(leads.accountId, contact.account_id)))
      .run()
  if (!contact.is_primary) return
  const next = db
    .select({ id: accountContacts.id })
    .from(accountContacts)
    .where(eq(accountContacts.accountId, contact.account_id))
    .orderBy(asc(accountContacts.createdAt), asc(accountContacts.id))
    .get()
  if (next) makePrimary(db, contact.account_id, next.id, at)
}

/**
 * Puts a client on an account (or on none, with null) as the clients API asks: a client on another
 * account moves only when `move` says so (PATCH), else 409 (POST). 404 for a client or account this
 * business does not hold. Answers the client's account id.
 */
export function setClientAccount(
  db: OrgDb,
  orgClientId: string,
  accountId: string | null,
  move: boolean,
  now: Date,
): string | null {
  const client = clientToLink(db, orgClientId)
  if (accountId) requireAccount(db, accountId)
  const row = existing(db, eq(accountContacts.orgClientId, orgClientId))
  const current = client.accountId ?? row?.accountId ?? null
  if (current === accountId && (accountId === null || row)) return accountId
  if (current && accountId && current !== accountId && !move)
    throw conflict('This client is a contact of another account.')
  if (row) unlink(db, requireContact(db, row.accountId, row.id), now.toISOString())
  db.update(orgClients).set({ accountId: null }).where(eq(orgClients.id, orgClientId)).run()
  if (accountId) addContact(db, accountId, { org_client_id: orgClientId }, now)
  return accountId
}
