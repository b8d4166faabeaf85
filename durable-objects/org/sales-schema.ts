/**
 * Drizzle schema of an organization's sales (seed 002): lead statuses and activity types as
 * lookups, leads (columns for what is filtered, versioned JSON for the rest), activities on leads
 * and clients, commercial accounts with their contacts and sites, estimates and their lines, and
 * every call to the assistant. Re-exported by `schema.ts`.
 */
import { sql } from 'drizzle-orm'
import { check, index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`

export const LEAD_STATUS_KINDS = ['open', 'won', 'lost'] as const
export type LeadStatusKind = (typeof LEAD_STATUS_KINDS)[number]

/** A step of the business's pipeline. New businesses get New, Contacted, Estimate sent, Won, Lost (migration 0020). */
export const leadStatuses = sqliteTable(
  'lead_statuses',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** `#rrggbb`, for the board's column and the list's badge. */
    color: text('color').notNull(),
    icon: text('icon'),
    position: integer('position').notNull(),
    kind: text('kind', { enum: LEAD_STATUS_KINDS }).notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('lead_statuses_position_idx').on(t.position)],
)

/** Flat custom fields of a lead, versioned by `custom_fields_version`. */
export type LeadCustomFields = Record<string, string | number | boolean | null>

/**
 * A prospect who has not bought yet. Its contact details are this business's own (no registry
 * person until it converts). Conversion is one way: `is_converted` with the client it became.
 */
export const leads = sqliteTable(
  'leads',
  {
    id: text('id').primaryKey(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name'),
    email: text('email'),
    /** E.164. */
    phone: text('phone'),
    /** The company named on the request when there is no account for it yet. */
    company: text('company'),
    accountId: text('account_id'),
    source: text('source').notNull().default('manual'),
    serviceInterest: text('service_interest'),
    estimatedValueCents: integer('estimated_value_cents'),
    statusId: text('status_id').notNull(),
    nextFollowUpAt: text('next_follow_up_at'),
    /** The team member working it (account id in the registry). */
    assignedTo: text('assigned_to'),
    notes: text('notes'),
    customFields: text('custom_fields', { mode: 'json' }).$type<LeadCustomFields>().notNull().default(sql`'{}'`),
    customFieldsVersion: integer('custom_fields_version').notNull().default(1),
    isConverted: integer('is_converted', { mode: 'boolean' }).notNull().default(false),
    convertedToClientId: text('converted_to_client_id'),
    conversionDate: text('conversion_date'),
    /** When the status last changed, and the last contact logged (activity or message). */
    statusChangedAt: text('status_changed_at'),
    lastContactAt: text('last_contact_at'),
    /** The assistant's latest reading (seed 002's AI annotations). */
    aiSummary: text('ai_summary'),
    aiNextAction: text('ai_next_action'),
    aiPriority: text('ai_priority', { enum: ['high', 'medium', 'low'] }),
    aiUpdatedAt: text('ai_updated_at'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [
    index('leads_status_idx').on(t.isConverted, t.statusId, t.updatedAt),
    index('leads_follow_up_idx').on(t.isConverted, t.nextFollowUpAt),
    index('leads_created_idx').on(t.createdAt, t.id),
    index('leads_client_idx').on(t.convertedToClientId),
    index('leads_account_idx').on(t.accountId),
    index('leads_phone_idx').on(t.phone),
    index('leads_email_idx').on(t.email),
  ],
)

/** The kinds of activity (seed 002's communication types): call, note, meeting, email, sms, seeded by migration 0020. */
export const activityTypes = sqliteTable('activity_types', {
  key: text('key').primaryKey(),
  name: text('name').notNull(),
  icon: text('icon'),
  position: integer('position').notNull(),
})

/**
 * Something that happened with a lead or a client (exactly one of the two): a call, a note, a
 * meeting, an email or a text logged by staff or by an integration (`external_id`, e.g. a Twilio
 * CallSid, makes a replay change nothing).
 */
export const activities = sqliteTable(
  'activities',
  {
    id: text('id').primaryKey(),
    leadId: text('lead_id'),
    orgClientId: text('org_client_id'),
    type: text('type').notNull(),
    direction: text('direction', { enum: ['inbound', 'outbound'] }),
    summary: text('summary').notNull(),
    occurredAt: text('occurred_at').notNull(),
    /** The staff account that logged it; null for the API or an integration. */
    authorId: text('author_id'),
    source: text('source').notNull().default('staff'),
    externalId: text('external_id'),
    durationSeconds: integer('duration_seconds'),
    /** A recording or transcript link (calls). */
    url: text('url'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [
    index('activities_lead_idx').on(t.leadId, t.occurredAt),
    index('activities_client_idx').on(t.orgClientId, t.occurredAt),
    uniqueIndex('activities_external_uq').on(t.externalId),
    check('activities_one_subject', sql`(${t.leadId} is null) <> (${t.orgClientId} is null)`),
  ],
)

export type PostalAddress = {
  address1: string
  address2?: string
  city: string
  state: string
  postal: string
  country: string
}

/** A commercial account (property manager, HOA, office): several contacts and sites, billed as one. */
export const accounts = sqliteTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind').notNull().default('business'),
    billingAddress: text('billing_address', { mode: 'json' }).$type<PostalAddress>(),
    taxId: text('tax_id'),
    notes: text('notes'),
    /** The CRM's id for the company when it came from one (`provider:id`). */
    externalId: text('external_id'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [index('accounts_name_idx').on(sql`lower(${t.name})`), uniqueIndex('accounts_external_uq').on(t.externalId)],
)

/**
 * A person at an account. It is on a lead or on a client, never both (seed 002's rule); one
 * contact per account is primary (a partial unique index).
 */
export const accountContacts = sqliteTable(
  'account_contacts',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name'),
    email: text('email'),
    phone: text('phone'),
    role: text('role'),
    isPrimary: integer('is_primary', { mode: 'boolean' }).notNull().default(false),
    leadId: text('lead_id'),
    orgClientId: text('org_client_id'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [
    index('account_contacts_account_idx').on(t.accountId),
    uniqueIndex('account_contacts_primary_uq').on(t.accountId).where(sql`is_primary = 1`),
    index('account_contacts_client_idx').on(t.orgClientId),
    index('account_contacts_lead_idx').on(t.leadId),
    check('account_contacts_lead_xor_client', sql`${t.leadId} is null or ${t.orgClientId} is null`),
  ],
)

/** A service address of an account (a building, an office, a common area). */
export const accountSites = sqliteTable(
  'account_sites',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    label: text('label'),
    address1: text('address1').notNull(),
    address2: text('address2'),
    city: text('city').notNull(),
    state: text('state').notNull(),
    postal: text('postal').notNull(),
    country: text('country').notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('account_sites_account_idx').on(t.accountId)],
)

export const ESTIMATE_STATUSES = ['draft', 'sent', 'approved', 'declined', 'expired'] as const
export type EstimateStatus = (typeof ESTIMATE_STATUSES)[number]

/**
 * A quote (seed 002's opportunity) for a lead or a client: lines and tax as invoices. A lead's
 * estimate is sent to a client card made for the lead (status `lead`), so it keeps both ids.
 */
export const estimates = sqliteTable(
  'estimates',
  {
    id: text('id').primaryKey(),
    number: integer('number').notNull(),
    leadId: text('lead_id'),
    orgClientId: text('org_client_id'),
    accountId: text('account_id'),
    status: text('status', { enum: ESTIMATE_STATUSES }).notNull().default('draft'),
    subtotalCents: integer('subtotal_cents').notNull().default(0),
    taxCents: integer('tax_cents').notNull().default(0),
    /** Percent, as invoices. */
    taxRate: real('tax_rate'),
    totalCents: integer('total_cents').notNull().default(0),
    /** Local date `YYYY-MM-DD`; a sent estimate not answered by then expires. */
    validUntil: text('valid_until'),
    /** The end of `valid_until` in the business's zone, UTC; the due-work run expires a sent estimate then. */
    expiresAt: text('expires_at'),
    notes: text('notes'),
    /** The secret of the homeowner's approval link (only its hash is kept). */
    linkHash: text('link_hash'),
    sentAt: text('sent_at'),
    approvedAt: text('approved_at'),
    /** The name the homeowner typed to approve (their signature). */
    approvedName: text('approved_name'),
    declinedAt: text('declined_at'),
    declineReason: text('decline_reason'),
    expiredAt: text('expired_at'),
    /** The job the approved work was booked as. */
    jobId: text('job_id'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [
    uniqueIndex('estimates_number_uq').on(t.number),
    index('estimates_status_idx').on(t.status, t.expiresAt),
    index('estimates_lead_idx').on(t.leadId),
    index('estimates_client_idx').on(t.orgClientId, t.createdAt),
    index('estimates_account_idx').on(t.accountId),
    uniqueIndex('estimates_link_uq').on(t.linkHash),
    // A lead's estimate gets the client card it is sent to (status lead) and keeps its lead.
    check('estimates_has_subject', sql`${t.leadId} is not null or ${t.orgClientId} is not null`),
  ],
)

/** An estimate's lines; they carry over to the job (and so its invoice) when the work is booked. */
export const estimateLineItems = sqliteTable(
  'estimate_line_items',
  {
    id: text('id').primaryKey(),
    estimateId: text('estimate_id').notNull(),
    position: integer('position').notNull(),
    description: text('description').notNull(),
    quantity: real('quantity').notNull().default(1),
    unitPriceCents: integer('unit_price_cents').notNull(),
    serviceId: text('service_id'),
    taxable: integer('taxable', { mode: 'boolean' }).notNull().default(true),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('estimate_line_items_estimate_idx').on(t.estimateId, t.position)],
)

export const AI_KINDS = ['brief', 'sentiment', 'reply_draft'] as const
export type AiKind = (typeof AI_KINDS)[number]

/** Every call to the assistant, model or built-in (seed 002's ai_interactions): what was asked and answered. */
export const aiInteractions = sqliteTable(
  'ai_interactions',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: AI_KINDS }).notNull(),
    /** What it was about: `lead`, `client` or `message`, and its id. */
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    model: text('model').notNull(),
    prompt: text('prompt').notNull(),
    response: text('response').notNull(),
    /** The staff account that asked; null for automatic ones (sentiment on a reply). */
    requestedBy: text('requested_by'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [
    index('ai_interactions_created_idx').on(t.createdAt, t.id),
    index('ai_interactions_subject_idx').on(t.subjectType, t.subjectId, t.createdAt),
  ],
)
