/**
 * One-way conversion (seed 002): the lead is marked converted to a client in one transaction and
 * never changes again; its history stays readable from the client (client_lead_history).
 */
import { and, desc, eq, isNull } from 'drizzle-orm'
import { conflict, notFound } from '../../../../src/errors'
import type { OrgDb } from '../../db'
import { recordEvent } from '../../events'
import { accountContacts, leads, orgClients } from '../../schema'
import { type Activity, listActivities, systemActivity } from './activities'
import { activateClient } from './client-status'
import { getLead, type Lead, requireLead, toLead } from './leads'
import { firstOfKind } from './statuses'

/** A lead as the client's history shows it: the lead with its activities, newest first. */
export type LeadHistory = Lead & { activities: Activity[] }

/** How long a conversion in progress holds its lead against a second one (the Worker makes the client meanwhile). */
export const CONVERSION_CLAIM_MS = 60_000

/**
 * Leads being converted now, with when each conversion started. One object per business holds
 * them, so this is the whole truth; a claim lapses after a minute should its Worker have died.
 */
export class ConversionClaims {
  private readonly held = new Map<string, number>()

  /** Claims the lead; false while another conversion of it runs. */
  claim(leadId: string, now: number): boolean {
    const since = this.held.get(leadId)
    if (since !== undefined && now - since < CONVERSION_CLAIM_MS) return false
    this.held.set(leadId, now)
    return true
  }

  release(leadId: string): void {
    this.held.delete(leadId)
  }
}

/** Claims a convertible lead: 404 for none, 409 once converted or while another conversion of it runs. */
export function startConversion(db: OrgDb, claims: ConversionClaims, leadId: string, now: number): Lead {
  const lead = convertible(db, leadId)
  if (!claims.claim(leadId, now)) throw conflict('This lead is being converted to a client right now.')
  return lead
}

/** The lead, when it may still be converted: 404 for none, 409 once converted. */
export function convertible(db: OrgDb, leadId: string): Lead {
  const lead = requireLead(db, leadId)
  if (lead.is_converted) throw conflict('This lead was already converted to a client.')
  return lead
}

/**
 * Marks the lead converted to the client: the three conversion fields, the pipeline's first won
 * status, the client active and on the lead's account, the lead's account contacts moved to the
 * client. 409 when it was converted meanwhile; 404 when the client is not this business's.
 */
export function markConverted(
  db: OrgDb,
  leadId: string,
  orgClientId: string,
  now: Date,
  authorId: string | null,
): Lead {
  const lead = convertible(db, leadId)
  const client = db
    .select({ accountId: orgClients.accountId })
    .from(orgClients)
    .where(and(eq(orgClients.id, orgClientId), isNull(orgClients.mergedInto)))
    .get()
  if (!client) throw notFound('client')
  const won = firstOfKind(db, 'won')
  const at = now.toISOString()
  db.update(leads)
    .set({
      isConverted: true,
      convertedToClientId: orgClientId,
      conversionDate: at,
      ...(lead.status_id !== won.id ? { statusId: won.id, statusChangedAt: at } : {}),
      updatedAt: at,
    })
    .where(and(eq(leads.id, leadId), eq(leads.isConverted, false)))
    .run()
  activateClient(db, orgClientId, at, ['lead', 'inactive'])
  if (lead.account_id && client.accountId !== lead.account_id)
    db.update(orgClients).set({ accountId: lead.account_id, updatedAt: at }).where(eq(orgClients.id, orgClientId)).run()
  db.update(accountContacts)
    .set({ leadId: null, orgClientId, updatedAt: at })
    .where(eq(accountContacts.leadId, leadId))
    .run()
  systemActivity(db, leadId, 'converted', 'Became a client', at, authorId)
  recordEvent(db, 'lead_converted', orgClientId, { lead_id: leadId, source: lead.source }, at)
  return getLead(db, leadId)!
}

/** The leads converted to this client, newest first, each with its activities; null when the business has no such client. */
export function clientLeadHistory(db: OrgDb, orgClientId: string): LeadHistory[] | null {
  const client = db
    .select({ id: orgClients.id })
    .from(orgClients)
    .where(and(eq(orgClients.id, orgClientId), isNull(orgClients.mergedInto)))
    .get()
  if (!client) return null
  return db
    .select()
    .from(leads)
    .where(eq(leads.convertedToClientId, orgClientId))
    .orderBy(desc(leads.conversionDate), desc(leads.id))
    .all()
    .map((row) => ({ ...toLead(row), activities: listActivities(db, { lead_id: row.id }) }))
}
