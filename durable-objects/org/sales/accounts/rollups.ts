/**
 * What an account's page adds up: the jobs of its clients and at its sites, the invoices billed to
 * it and its clients' own, what is still owed and what was paid this year. A third client's work,
 * on no account or another, never counts.
 */
import { and, count, desc, eq, gte, inArray, isNull, or, sql, type SQL } from 'drizzle-orm'
import { localDate, zonedTimeToUtc } from '../../../../src/time'
import type { OrgDb } from '../../db'
import { accountSites, contacts, invoices, jobs, orgClients, payments, type JobStatus } from '../../schema'

/** How many jobs and invoices the account page lists; the counts say how many there are in all. */
export const ROLLUP_CAP = 25

export type AccountJob = {
  id: string
  org_client_id: string
  client_name: string
  site_id: string | null
  service_id: string | null
  start_at: string
  end_at: string | null
  status: JobStatus
  price_cents: number
}

export type AccountInvoice = {
  id: string
  number: number
  org_client_id: string
  client_name: string
  /** The account it is billed to: this one, or null for a client's own invoice from before. */
  account_id: string | null
  total_cents: number
  paid_cents: number
  balance_cents: number
  status: string
  due_date: string
  overdue: boolean
  created_at: string
}

export type AccountTotals = { open_balance_cents: number; paid_this_year_cents: number }

/** A client's name as a list shows it, from its card. */
function nameOf(c: { first: string | null; last: string | null; email: string | null; phone: string | null }): string {
  return [c.first, c.last].filter(Boolean).join(' ') || c.email || c.phone || 'Unnamed client'
}

const card = {
  first: contacts.firstName,
  last: contacts.lastName,
  email: contacts.primaryEmail,
  phone: contacts.primaryPhoneE164,
}

const clientsOf = (db: OrgDb, accountId: string) =>
  db.select({ id: orgClients.id }).from(orgClients).where(eq(orgClients.accountId, accountId))

/** Jobs of the account's clients or at its sites. */
function jobsWhere(db: OrgDb, accountId: string): SQL {
  return or(
    inArray(jobs.orgClientId, clientsOf(db, accountId)),
    inArray(
      jobs.siteId,
      db.select({ id: accountSites.id }).from(accountSites).where(eq(accountSites.accountId, accountId)),
    ),
  )!
}

/** Invoices billed to the account, and its clients' invoices billed to no account. */
function invoicesWhere(db: OrgDb, accountId: string): SQL {
  return or(
    eq(invoices.accountId, accountId),
    and(isNull(invoices.accountId), inArray(invoices.orgClientId, clientsOf(db, accountId))),
  )!
}

/** The account's jobs, newest first, at most ROLLUP_CAP, and how many there are. */
export function accountJobs(db: OrgDb, accountId: string): { items: AccountJob[]; count: number } {
  const where = jobsWhere(db, accountId)
  const items = db
    .select({ job: jobs, card })
    .from(jobs)
    .innerJoin(orgClients, eq(orgClients.id, jobs.orgClientId))
    .innerJoin(contacts, eq(contacts.personId, orgClients.personId))
    .where(where)
    .orderBy(desc(jobs.startAt), desc(jobs.id))
    .limit(ROLLUP_CAP)
    .all()
    .map(({ job: j, card: c }) => ({
      id: j.id,
      org_client_id: j.orgClientId,
      client_name: nameOf(c),
      site_id: j.siteId,
      service_id: j.serviceId,
      start_at: j.startAt,
      end_at: j.endAt,
      status: j.status,
      price_cents: j.priceCents,
    }))
  return { items, count: db.select({ n: count() }).from(jobs).where(where).get()?.n ?? 0 }
}

/** The account's invoices, newest first, at most ROLLUP_CAP, and how many there are. */
export function accountInvoices(
  db: OrgDb,
  accountId: string,
  tz: string,
  now: Date,
): { items: AccountInvoice[]; count: number } {
  const today = localDate(now, tz)
  const where = invoicesWhere(db, accountId)
  const items = db
    .select({ invoice: invoices, card })
    .from(invoices)
    .innerJoin(orgClients, eq(orgClients.id, invoices.orgClientId))
    .innerJoin(contacts, eq(contacts.personId, orgClients.personId))
    .where(where)
    .orderBy(desc(invoices.createdAt), desc(invoices.id))
    .limit(ROLLUP_CAP)
    .all()
    .map(({ invoice: i, card: c }) => ({
      id: i.id,
      number: i.number,
      org_client_id: i.orgClientId,
      client_name: nameOf(c),
      account_id: i.accountId,
      total_cents: i.totalCents,
      paid_cents: i.paidCents,
      balance_cents: Math.max(0, i.totalCents - i.paidCents),
      status: i.status,
      due_date: i.dueDate,
      overdue: i.status === 'open' && i.dueDate < today,
      created_at: i.createdAt,
    }))
  return { items, count: db.select({ n: count() }).from(invoices).where(where).get()?.n ?? 0 }
}

/** What the account still owes on open invoices, and what it paid since January 1 in the business's zone. */
export function accountTotals(db: OrgDb, accountId: string, tz: string, now: Date): AccountTotals {
  const where = invoicesWhere(db, accountId)
  const open =
    db
      .select({ n: sql<number>`coalesce(sum(max(0, ${invoices.totalCents} - ${invoices.paidCents})), 0)` })
      .from(invoices)
      .where(and(where, eq(invoices.status, 'open')))
      .get()?.n ?? 0
  const yearStart = zonedTimeToUtc(`${localDate(now, tz).slice(0, 4)}-01-01`, '00:00', tz).toISOString()
  const paid =
    db
      .select({ n: sql<number>`coalesce(sum(${payments.amountCents}), 0)` })
      .from(payments)
      .innerJoin(invoices, eq(invoices.id, payments.invoiceId))
      .where(
        and(
          where,
          eq(payments.status, 'succeeded'),
          gte(sql`coalesce(${payments.capturedAt}, ${payments.createdAt})`, yearStart),
        ),
      )
      .get()?.n ?? 0
  return { open_balance_cents: open, paid_this_year_cents: paid }
}

/** The open balance of each account, as a column of the accounts list (one statement for the whole page). */
export const OPEN_BALANCE = sql<number>`(select coalesce(sum(max(0, i.total_cents - i.paid_cents)), 0) from invoices i
  where i.status = 'open' and (i.account_id = accounts.id
    or (i.account_id is null and i.org_client_id in (select c.id from org_clients c where c.account_id = accounts.id))))`
