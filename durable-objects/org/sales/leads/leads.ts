/**
 * Leads one at a time: creating, reading and changing them. Contact details arrive normalized
 * from the Worker; custom fields are a flat JSON object whose version goes up when its set of
 * keys changes. A converted lead is history: it takes no more changes (409).
 */
import { eq } from 'drizzle-orm'
import { conflict, invalidInput, notFound } from '../../../../src/errors'
import type { OrgDb } from '../../db'
import { accounts, leads, type LeadCustomFields } from '../../schema'
import { type Activity, listActivities, systemActivity } from './activities'
import { assertStatus, firstOfKind, getStatus, type LeadStatus } from './statuses'

/** A lead as the API shows it: its columns, snake_case. */
export type Lead = {
  id: string
  first_name: string
  last_name: string | null
  email: string | null
  phone: string | null
  company: string | null
  account_id: string | null
  source: string
  service_interest: string | null
  estimated_value_cents: number | null
  status_id: string
  next_follow_up_at: string | null
  assigned_to: string | null
  notes: string | null
  custom_fields: LeadCustomFields
  custom_fields_version: number
  is_converted: boolean
  converted_to_client_id: string | null
  conversion_date: string | null
  status_changed_at: string | null
  last_contact_at: string | null
  ai_summary: string | null
  ai_next_action: string | null
  ai_priority: 'high' | 'medium' | 'low' | null
  ai_updated_at: string | null
  created_at: string
  updated_at: string
}

/** A lead with its status and its activities, newest first. */
export type LeadDetail = Lead & { status: LeadStatus | null; activities: Activity[] }

/** What a new lead is made of; email and phone already normalized, instants in ISO. */
export type NewLead = {
  first_name: string
  last_name?: string | null
  email?: string | null
  phone?: string | null
  company?: string | null
  account_id?: string | null
  source?: string
  service_interest?: string | null
  estimated_value_cents?: number | null
  status_id?: string
  next_follow_up_at?: string | null
  assigned_to?: string | null
  notes?: string | null
  custom_fields?: LeadCustomFields
}

/** A change of a lead: any field; null clears an optional one. */
export type LeadPatch = Partial<Omit<NewLead, 'first_name' | 'source'>> & { first_name?: string; source?: string }

type LeadRow = typeof leads.$inferSelect

export const toLead = (l: LeadRow): Lead => ({
  id: l.id,
  first_name: l.firstName,
  last_name: l.lastName,
  email: l.email,
  phone: l.phone,
  company: l.company,
  account_id: l.accountId,
  source: l.source,
  service_interest: l.serviceInterest,
  estimated_value_cents: l.estimatedValueCents,
  status_id: l.statusId,
  next_follow_up_at: l.nextFollowUpAt,
  assigned_to: l.assignedTo,
  notes: l.notes,
  custom_fields: l.customFields,
  custom_fields_version: l.customFieldsVersion,
  is_converted: l.isConverted,
  converted_to_client_id: l.convertedToClientId,
  conversion_date: l.conversionDate,
  status_changed_at: l.statusChangedAt,
  last_contact_at: l.lastContactAt,
  ai_summary: l.aiSummary,
  ai_next_action: l.aiNextAction,
  ai_priority: l.aiPriority,
  ai_updated_at: l.aiUpdatedAt,
  created_at: l.createdAt,
  updated_at: l.updatedAt,
})

/** A lead's name as staff read it: "Dana Reyes". */
export const leadName = (l: Pick<Lead, 'first_name' | 'last_name'>) =>
  [l.first_name, l.last_name].filter(Boolean).join(' ')

/** Creates a lead in the given status, else the pipeline's first open one. */
export function createLead(db: OrgDb, input: NewLead, now: Date): Lead {
  const status = input.status_id ? assertStatus(db, input.status_id) : firstOfKind(db, 'open')
  if (input.account_id) assertAccount(db, input.account_id)
  const at = now.toISOString()
  const row: LeadRow = {
    id: crypto.randomUUID(),
    firstName: input.first_name,
    lastName: input.last_name ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
    company: input.company ?? null,
    accountId: input.account_id ?? null,
    source: input.source ?? 'manual',
    serviceInterest: input.service_interest ?? null,
    estimatedValueCents: input.estimated_value_cents ?? null,
    statusId: status.id,
    nextFollowUpAt: input.next_follow_up_at ?? null,
    assignedTo: input.assigned_to ?? null,
    notes: input.notes ?? null,
    customFields: input.custom_fields ?? {},
    customFieldsVersion: 1,
    isConverted: false,
    convertedToClientId: null,
    conversionDate: null,
    statusChangedAt: at,
    lastContactAt: null,
    aiSummary: null,
    aiNextAction: null,
    aiPriority: null,
    aiUpdatedAt: null,
    createdAt: at,
    updatedAt: at,
  }
  db.insert(leads).values(row).run()
  return toLead(row)
}

export function getLead(db: OrgDb, id: string): Lead | null {
  const row = db.select().from(leads).where(eq(leads.id, id)).get()
  return row ? toLead(row) : null
}

/** The lead, or 404. */
export function requireLead(db: OrgDb, id: string): Lead {
  const lead = getLead(db, id)
  if (!lead) throw notFound('lead')
  return lead
}

/** The lead with its status and activities; null when this business has no such lead. */
export function getLeadDetail(db: OrgDb, id: string): LeadDetail | null {
  const lead = getLead(db, id)
  if (!lead) return null
  return { ...lead, status: getStatus(db, lead.status_id), activities: listActivities(db, { lead_id: id }) }
}

/**
 * Changes a lead. A new status sets `status_changed_at` and is logged on the lead's history; a
 * new set of custom field names bumps `custom_fields_version`. A converted lead is a 409.
 */
export function updateLead(db: OrgDb, id: string, patch: LeadPatch, now: Date, authorId: string | null): Lead {
  const current = requireLead(db, id)
  if (current.is_converted) throw conflict('This lead became a client: it takes no more changes.')
  const at = now.toISOString()
  const status = patch.status_id !== undefined ? assertStatus(db, patch.status_id) : null
  if (patch.account_id) assertAccount(db, patch.account_id)
  const moved = status !== null && status.id !== current.status_id
  const keysChanged = patch.custom_fields !== undefined && !sameKeys(patch.custom_fields, current.custom_fields)
  const set: Partial<LeadRow> = {
    ...(patch.first_name !== undefined ? { firstName: patch.first_name } : {}),
    ...(patch.last_name !== undefined ? { lastName: patch.last_name } : {}),
    ...(patch.email !== undefined ? { email: patch.email } : {}),
    ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
    ...(patch.company !== undefined ? { company: patch.company } : {}),
    ...(patch.account_id !== undefined ? { accountId: patch.account_id } : {}),
    ...(patch.source !== undefined ? { source: patch.source } : {}),
    ...(patch.service_interest !== undefined ? { serviceInterest: patch.service_interest } : {}),
    ...(patch.estimated_value_cents !== undefined ? { estimatedValueCents: patch.estimated_value_cents } : {}),
    ...(patch.next_follow_up_at !== undefined ? { nextFollowUpAt: patch.next_follow_up_at } : {}),
    ...(patch.assigned_to !== undefined ? { assignedTo: patch.assigned_to } : {}),
    ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
    ...(patch.custom_fields !== undefined ? { customFields: patch.custom_fields } : {}),
    ...(keysChanged ? { customFieldsVersion: current.custom_fields_version + 1 } : {}),
    ...(moved ? { statusId: status.id, statusChangedAt: at } : {}),
    updatedAt: at,
  }
  db.update(leads).set(set).where(eq(leads.id, id)).run()
  if (moved) {
    const from = getStatus(db, current.status_id)?.name ?? 'another status'
    systemActivity(db, id, 'status_changed', `Moved from ${from} to ${status.name}`, at, authorId)
  }
  return getLead(db, id)!
}

/** True when both objects have the same field names, whatever their values. */
function sameKeys(a: LeadCustomFields, b: LeadCustomFields): boolean {
  const ka = Object.keys(a).sort()
  const kb = Object.keys(b).sort()
  return ka.length === kb.length && ka.every((k, i) => k === kb[i])
}

/** An account named in a lead's body must be this business's (400 otherwise). */
function assertAccount(db: OrgDb, id: string): void {
  if (!db.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, id)).get())
    throw invalidInput([{ path: 'account_id', message: "is not one of this business's accounts" }])
}
