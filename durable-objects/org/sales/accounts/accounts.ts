/** Commercial accounts one at a time and as a list: creating, reading, changing, searching by name. */
import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import { notFound } from '../../../../src/errors'
import type { OrgDb } from '../../db'
import { accounts, type PostalAddress } from '../../schema'
import { primaryContacts } from './contacts'
import { OPEN_BALANCE } from './rollups'

export type Account = {
  id: string
  name: string
  kind: string
  billing_address: PostalAddress | null
  tax_id: string | null
  notes: string | null
  /** The CRM's id of the company (`provider:id`) when it came from one. */
  external_id: string | null
  created_at: string
  updated_at: string
}

export type NewAccount = {
  name: string
  kind?: string
  billing_address?: PostalAddress
  tax_id?: string
  notes?: string
  external_id?: string | null
}

export type AccountPatch = {
  name?: string
  billing_address?: PostalAddress | null
  tax_id?: string | null
  notes?: string | null
}

/** An account as the list shows it: its contacts counted, its primary contact and what it owes. */
export type AccountListItem = {
  id: string
  name: string
  kind: string
  contact_count: number
  primary_contact: { contact_id: string; first_name: string; last_name: string | null } | null
  open_balance_cents: number
}

export const toAccount = (a: typeof accounts.$inferSelect): Account => ({
  id: a.id,
  name: a.name,
  kind: a.kind,
  billing_address: a.billingAddress ?? null,
  tax_id: a.taxId,
  notes: a.notes,
  external_id: a.externalId,
  created_at: a.createdAt,
  updated_at: a.updatedAt,
})

/** The account, or a 404 for an id this business does not hold. */
export function requireAccount(db: OrgDb, id: string): Account {
  const row = db.select().from(accounts).where(eq(accounts.id, id)).get()
  if (!row) throw notFound('account')
  return toAccount(row)
}

/** Creates an account. */
export function createAccount(db: OrgDb, input: NewAccount, now: Date): Account {
  const at = now.toISOString()
  const row = {
    id: crypto.randomUUID(),
    name: input.name,
    kind: input.kind ?? 'business',
    billingAddress: input.billing_address ?? null,
    taxId: input.tax_id ?? null,
    notes: input.notes ?? null,
    externalId: input.external_id ?? null,
    createdAt: at,
    updatedAt: at,
  }
  db.insert(accounts).values(row).run()
  return toAccount(row)
}

/** Changes an account's name, billing address, tax id or notes; null clears one. */
export function updateAccount(db: OrgDb, id: string, patch: AccountPatch, now: Date): Account {
  requireAccount(db, id)
  db.update(accounts)
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.billing_address !== undefined ? { billingAddress: patch.billing_address } : {}),
      ...(patch.tax_id !== undefined ? { taxId: patch.tax_id } : {}),
      ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
      updatedAt: now.toISOString(),
    })
    .where(eq(accounts.id, id))
    .run()
  return requireAccount(db, id)
}

/** The account of this name, case aside (the oldest when several share it), with no CRM id when `withoutExternal`. */
export function accountNamed(db: OrgDb, name: string, withoutExternal = false): Account | null {
  const row = db
    .select()
    .from(accounts)
    .where(
      and(
        sql`lower(${accounts.name}) = lower(${name.trim()})`,
        withoutExternal ? isNull(accounts.externalId) : undefined,
      ),
    )
    .orderBy(asc(accounts.createdAt))
    .get()
  return row ? toAccount(row) : null
}

/** Typed text for a LIKE pattern: % and _ taken literally, short enough that the pattern stays within 50 bytes. */
function likeText(typed: string | undefined): string | undefined {
  let q = typed?.trim().replace(/[\\%_]/g, (m) => `\\${m}`)
  while (q && new TextEncoder().encode(`%${q}%`).length > 50) q = q.slice(0, -1).replace(/\\$/, '')
  return q || undefined
}

/** Accounts by name (a part of the name matches, case aside), each with its contacts counted, its primary contact and open balance. */
export function listAccounts(db: OrgDb, query: { q?: string; limit: number }): AccountListItem[] {
  const q = likeText(query.q)
  const rows = db
    .select({
      id: accounts.id,
      name: accounts.name,
      kind: accounts.kind,
      // Written out: drizzle leaves columns unqualified inside a select's own SQL.
      contact_count: sql<number>`(select count(*) from account_contacts ac where ac.account_id = accounts.id)`,
      open_balance_cents: OPEN_BALANCE,
    })
    .from(accounts)
    .where(q ? sql`${accounts.name} like ${`%${q}%`} escape '\\'` : undefined)
    .orderBy(sql`lower(${accounts.name})`, asc(accounts.id))
    .limit(query.limit)
    .all()
  const primaries = primaryContacts(
    db,
    rows.map((r) => r.id),
  )
  return rows.map((r) => {
    const p = primaries.get(r.id)
    return {
      ...r,
      primary_contact: p ? { contact_id: p.contact_id, first_name: p.first_name, last_name: p.last_name } : null,
    }
  })
}
