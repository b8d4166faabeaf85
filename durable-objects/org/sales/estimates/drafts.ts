/**
 * Writing an estimate before it is answered: made for a lead or a client, numbered from 1001, its
 * lines and tax computed as an invoice's; changed while a draft or sent (a sent one goes back to
 * draft and its link stops working), deleted while a draft.
 */
import { and, eq, isNull, sql } from 'drizzle-orm'
import { conflict, notFound } from '../../../../src/errors'
import { addDays, localDate } from '../../../../src/time'
import { invoiceMoney, taxRateFor } from '../../crm/invoice-lines'
import { checkLineServices, LINES_PER_STATEMENT, lineRows, type NewLineItem } from '../../crm/line-items'
import type { OrgDb } from '../../db'
import { accounts, estimateLineItems, estimates, leads, orgClients, profile } from '../../schema'
import { estimateRow, type EstimateRow } from './records'

/** How long an estimate stands when the caller does not say: 30 days from today in the business's zone. */
export const VALID_DAYS = 30

export type NewEstimate = {
  lead_id?: string | undefined
  org_client_id?: string | undefined
  line_items: NewLineItem[]
  /** YYYY-MM-DD, a real date (the Worker checked). */
  valid_until?: string | undefined
  notes?: string | undefined
  account_id?: string | undefined
}

export type EstimatePatch = {
  line_items?: NewLineItem[] | undefined
  valid_until?: string | undefined
  notes?: string | null | undefined
}

/** The business's default tax rate (percent), else 0. */
function defaultRate(db: OrgDb): number {
  return db.select({ rate: profile.defaultTaxRate }).from(profile).where(eq(profile.id, 1)).get()?.rate ?? 0
}

/** Whom the estimate is for and what follows from it: the tax rate and the account. 404 for a stranger, 409 for a converted lead. */
export function subjectOf(
  db: OrgDb,
  input: Pick<NewEstimate, 'lead_id' | 'org_client_id'>,
): { leadId: string | null; orgClientId: string | null; rate: number; accountId: string | null } {
  if (input.org_client_id) {
    const client = db
      .select({ accountId: orgClients.accountId })
      .from(orgClients)
      .where(and(eq(orgClients.id, input.org_client_id), isNull(orgClients.mergedInto)))
      .get()
    if (!client) throw notFound('client')
    return {
      leadId: null,
      orgClientId: input.org_client_id,
      rate: taxRateFor(db, input.org_client_id),
      accountId: client.accountId,
    }
  }
  const lead = db
    .select()
    .from(leads)
    .where(eq(leads.id, input.lead_id ?? ''))
    .get()
  if (!lead) throw notFound('lead')
  if (lead.isConverted) throw conflict('This lead is already a client: make the estimate for the client instead.')
  // A lead has no rate of its own: the business's default.
  return { leadId: lead.id, orgClientId: null, rate: defaultRate(db), accountId: lead.accountId }
}

/** Replaces an estimate's lines; the caller keeps its amounts in step, in the same transaction. */
function writeLines(db: OrgDb, estimateId: string, lines: NewLineItem[], now: Date): void {
  db.delete(estimateLineItems).where(eq(estimateLineItems.estimateId, estimateId)).run()
  const rows = lineRows(lines, now).map((r) => ({ ...r, estimateId }))
  for (let i = 0; i < rows.length; i += LINES_PER_STATEMENT)
    db.insert(estimateLineItems)
      .values(rows.slice(i, i + LINES_PER_STATEMENT))
      .run()
}

/** Creates a draft estimate with its lines; returns its id. The caller runs it in one transaction. */
export function createEstimate(db: OrgDb, input: NewEstimate, tz: string, now: Date): string {
  const subject = subjectOf(db, input)
  if (input.account_id && !db.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, input.account_id)).get())
    throw notFound('account')
  checkLineServices(db, input.line_items)
  const money = invoiceMoney(input.line_items, subject.rate)
  const number =
    (db
      .select({ n: sql<number | null>`max(${estimates.number})` })
      .from(estimates)
      .get()?.n ?? 1000) + 1
  const at = now.toISOString()
  const id = crypto.randomUUID()
  db.insert(estimates)
    .values({
      id,
      number,
      leadId: subject.leadId,
      orgClientId: subject.orgClientId,
      accountId: input.account_id ?? subject.accountId,
      status: 'draft',
      subtotalCents: money.subtotal_cents,
      taxCents: money.tax_cents,
      taxRate: subject.rate,
      totalCents: money.total_cents,
      validUntil: input.valid_until ?? addDays(localDate(now, tz), VALID_DAYS),
      notes: input.notes ?? null,
      createdAt: at,
      updatedAt: at,
    })
    .run()
  writeLines(db, id, input.line_items, now)
  return id
}

/** A draft or sent estimate, else 404 or the 409 saying why it is settled. */
export function changeable(db: OrgDb, id: string, doing: string): EstimateRow {
  const row = estimateRow(db, id)
  if (!row) throw notFound('estimate')
  if (row.status !== 'draft' && row.status !== 'sent')
    throw conflict(`An ${row.status === 'expired' ? 'expired' : row.status} estimate cannot be ${doing}.`)
  return row
}

/**
 * Changes the lines (recomputed at the estimate's own rate), the date it stands until or the
 * notes. A sent estimate goes back to draft: its link stops working until it is sent again.
 */
export function updateEstimate(db: OrgDb, id: string, patch: EstimatePatch, now: Date): void {
  const row = changeable(db, id, 'changed')
  const lines = patch.line_items
  if (!lines && patch.valid_until === undefined && patch.notes === undefined) return
  if (lines) checkLineServices(db, lines)
  const money = lines ? invoiceMoney(lines, row.taxRate ?? 0) : null
  db.update(estimates)
    .set({
      ...(money
        ? { subtotalCents: money.subtotal_cents, taxCents: money.tax_cents, totalCents: money.total_cents }
        : {}),
      ...(patch.valid_until !== undefined ? { validUntil: patch.valid_until } : {}),
      ...(patch.notes !== undefined ? { notes: patch.notes || null } : {}),
      status: 'draft',
      linkHash: null,
      expiresAt: null,
      updatedAt: now.toISOString(),
    })
    .where(eq(estimates.id, id))
    .run()
  if (lines) writeLines(db, id, lines, now)
}

/** Deletes a draft with its lines (404 unknown, 409 once sent). */
export function deleteEstimate(db: OrgDb, id: string): void {
  const row = estimateRow(db, id)
  if (!row) throw notFound('estimate')
  if (row.status !== 'draft') throw conflict('Only a draft estimate can be deleted.')
  db.delete(estimateLineItems).where(eq(estimateLineItems.estimateId, id)).run()
  db.delete(estimates).where(eq(estimates.id, id)).run()
}

/** Gives a lead's estimate the client card it is sent to (made or found by the Worker); the lead stays on it. */
export function attachClient(db: OrgDb, id: string, orgClientId: string, now: Date): void {
  const row = estimateRow(db, id)
  if (!row) throw notFound('estimate')
  if (!db.select({ id: orgClients.id }).from(orgClients).where(eq(orgClients.id, orgClientId)).get())
    throw notFound('client')
  if (row.orgClientId === orgClientId) return
  if (row.orgClientId) throw conflict('This estimate already has a client.')
  db.update(estimates).set({ orgClientId, updatedAt: now.toISOString() }).where(eq(estimates.id, id)).run()
}
