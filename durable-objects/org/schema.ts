// Over 300 lines on purpose: the CRM's tables in the file drizzle-kit reads (drizzle.config.ts); the other subjects' tables are in engagement-, identity-, integration-, schedule-, imports- and sales-schema.ts, re-exported at the end.
/** Drizzle schema of one organization's private SQLite storage inside its ORG Durable Object. */
import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { CLIENT_STATUSES } from './crm/statuses'

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`

/**
 * One row counting changes to what decides the next due time (reminders, deferred messages,
 * enrollments, journeys' status, campaigns, owner alerts). Triggers (migration 0013) bump it, so
 * the host re-reads the next due time only after a write that could move it.
 */
export const dueVersion = sqliteTable('due_version', {
  id: integer('id').primaryKey(),
  n: integer('n').notNull().default(0),
})

/** The one row describing the organization this object belongs to. */
export const profile = sqliteTable('profile', {
  id: integer('id').primaryKey(),
  organizationId: text('organization_id').notNull(),
  name: text('name').notNull(),
  country: text('country').notNull(),
  timezone: text('timezone').notNull(),
  /** Quiet hours on the recipient's clock, HH:MM; no automated message goes out inside them. */
  quietStart: text('quiet_start').notNull().default('21:00'),
  quietEnd: text('quiet_end').notNull().default('08:00'),
  /** The organization's own SMS number; null uses the platform's. */
  smsFrom: text('sms_from'),
  /** The business's public review page (Google); shown to everyone asked for a rating. */
  googleReviewUrl: text('google_review_url'),
  phone: text('phone'),
  /** At most this many marketing messages (journeys, campaigns, review requests) per client per 24 h. */
  marketingCapPerDay: integer('marketing_cap_per_day').notNull().default(1),
  /** How many campaign recipients one run of due work decides; the rest wait for the next run. */
  campaignBatchSize: integer('campaign_batch_size').notNull().default(200),
  /** The business's connected Stripe account (`acct_…`): portal invoices are paid through Stripe Checkout on it. */
  stripeAccountId: text('stripe_account_id'),
  /** How to pay when Stripe is not connected ("Zelle to pay@…, or a check to …"), shown in the portal. */
  paymentInstructions: text('payment_instructions'),
  /** Hours before a job its reminders go out; null: 24 and 2. */
  jobReminderHours: text('job_reminder_hours', { mode: 'json' }).$type<number[]>(),
  /** Days before an invoice's due date its reminders go out (0: on the day); null: 2 and 0. */
  invoiceReminderDays: text('invoice_reminder_days', { mode: 'json' }).$type<number[]>(),
  /** Percent (0–30, up to 3 decimals) charged on taxable invoice lines when the client has no rate of its own. */
  defaultTaxRate: real('default_tax_rate'),
  /** The business's address as invoices and the portal print it. */
  address: text('address', { mode: 'json' }).$type<{
    address1: string
    address2?: string
    city: string
    state: string
    postal: string
    country: string
  }>(),
  /** How invoices and the portal show the business: a short wordmark and a brand colour (#rrggbb). */
  logoText: text('logo_text'),
  brandColor: text('brand_color'),
  updatedAt: text('updated_at').notNull().default(now),
})

/** Where one value of a client card came from, and when: `by` names the staff user, import, connection or account. */
export type CardSource = 'staff' | 'api' | 'import' | 'crm' | 'homeowner'
export type Provenance = { source: CardSource; by: string | null; at: string }

/**
 * The client card: name, emails and phones of a client as this business knows them. Only this
 * business writes it (staff, its API keys, its imports, its CRM connections, or the homeowner's own
 * change sent here). `provenance` keys are `first_name`, `last_name`, `email:<address>`, `phone:<E.164>`.
 */
export const contacts = sqliteTable('contacts', {
  personId: text('person_id').primaryKey(),
  firstName: text('first_name'),
  lastName: text('last_name'),
  primaryEmail: text('primary_email'),
  primaryPhoneE164: text('primary_phone_e164'),
  emails: text('emails', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  phones: text('phones', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  /** Bumped by every change of the card. */
  version: integer('version').notNull(),
  provenance: text('provenance', { mode: 'json' }).$type<Record<string, Provenance>>().notNull().default(sql`'{}'`),
  updatedAt: text('updated_at').notNull().default(now),
})

/** Flat JSON data (events, custom fields): flat so it crosses RPC with a simple type. */
export type FlatData = Record<string, string | number | boolean | null>
export type CustomFields = FlatData

export type ClientNote = { at: string; author: string | null; text: string }

export const orgClients = sqliteTable(
  'org_clients',
  {
    id: text('id').primaryKey(),
    personId: text('person_id').notNull(),
    status: text('status', { enum: CLIENT_STATUSES }).notNull(),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    ltvCents: integer('ltv_cents').notNull().default(0),
    notes: text('notes', { mode: 'json' }).$type<ClientNote[]>().notNull().default(sql`'[]'`),
    defaultAddressId: text('default_address_id'),
    source: text('source').notNull().default('manual'),
    externalId: text('external_id'),
    /** Set when staff merged this card into another; a merged client answers 404 until the merge is undone. */
    mergedInto: text('merged_into'),
    /** The commercial account this client is a contact of (sales-schema.ts). */
    accountId: text('account_id'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [
    uniqueIndex('org_clients_person_uq').on(t.personId),
    index('org_clients_created_idx').on(t.createdAt, t.id),
    index('org_clients_status_idx').on(t.status, t.createdAt),
    // Covers client_stats: counts and lifetime value by status without reading whole rows.
    index('org_clients_status_ltv_idx').on(t.status, t.ltvCents),
    // Merged cards are few: stats subtract them through this partial index instead of scanning every
    // client. Partial, so "merged_into is null" filters never pick it over the list's own indexes.
    index('org_clients_merged_idx').on(t.mergedInto).where(sql`merged_into is not null`),
    index('org_clients_account_idx').on(t.accountId).where(sql`account_id is not null`),
  ],
)

/** A service property of a client (a client can have several). */
export const addresses = sqliteTable(
  'addresses',
  {
    id: text('id').primaryKey(),
    orgClientId: text('org_client_id').notNull(),
    label: text('label'),
    address1: text('address1').notNull(),
    address2: text('address2'),
    city: text('city').notNull(),
    state: text('state').notNull(),
    postal: text('postal').notNull(),
    country: text('country').notNull(),
    /** Who wrote this address last (see Provenance). */
    source: text('source').$type<CardSource>().notNull().default('staff'),
    changedBy: text('changed_by'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at'),
  },
  (t) => [index('addresses_client_idx').on(t.orgClientId)],
)

/** Append-only log of what happened in the organization; timelines and journeys read it. */
export const events = sqliteTable(
  'events',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    orgClientId: text('org_client_id'),
    data: text('data', { mode: 'json' }).$type<FlatData>().notNull().default(sql`'{}'`),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('events_client_idx').on(t.orgClientId, t.createdAt), index('events_type_idx').on(t.type, t.createdAt)],
)

/** This business's private settings for one client. */
export const clientSettings = sqliteTable('org_client_settings', {
  orgClientId: text('org_client_id').primaryKey(),
  pricingTier: text('pricing_tier'),
  taxRate: real('tax_rate'),
  customFields: text('custom_fields', { mode: 'json' }).$type<CustomFields>().notNull().default(sql`'{}'`),
  customFieldsVersion: integer('custom_fields_version').notNull().default(1),
  updatedAt: text('updated_at').notNull().default(now),
})

export const services = sqliteTable('services', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  durationMinutes: integer('duration_minutes'),
  priceCents: integer('price_cents'),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  /** Where the service sits in pickers and lists (the owner's order; ties by name). */
  position: integer('position').notNull().default(0),
  createdAt: text('created_at').notNull().default(now),
})

export const JOB_STATUSES = ['scheduled', 'in_progress', 'completed', 'cancelled', 'blocked'] as const
export type JobStatus = (typeof JOB_STATUSES)[number]

export const jobs = sqliteTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    orgClientId: text('org_client_id').notNull(),
    serviceId: text('service_id'),
    addressId: text('address_id'),
    startAt: text('start_at').notNull(),
    endAt: text('end_at'),
    status: text('status', { enum: JOB_STATUSES }).notNull().default('scheduled'),
    priceCents: integer('price_cents').notNull().default(0),
    notes: text('notes'),
    source: text('source').notNull().default('manual'),
    externalId: text('external_id'),
    completedAt: text('completed_at'),
    /** When the homeowner confirmed the visit from the portal; a later "please confirm" reminder is skipped. */
    confirmedAt: text('confirmed_at'),
    /** The recurring series this visit belongs to (null for a single job). */
    seriesId: text('series_id'),
    /** The series' occurrence this visit was made for, local wall-clock `YYYY-MM-DDTHH:MM`: made once, even if moved. */
    occurrence: text('occurrence'),
    /** The account site the work is at, and the approved estimate it was booked from. */
    siteId: text('site_id'),
    estimateId: text('estimate_id'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [
    index('jobs_start_idx').on(t.startAt),
    index('jobs_client_idx').on(t.orgClientId, t.startAt),
    // The calendar's "blocked" list and any status filter read a range of one status.
    index('jobs_status_start_idx').on(t.status, t.startAt),
    uniqueIndex('jobs_series_occurrence_uq').on(t.seriesId, t.occurrence),
    index('jobs_site_idx').on(t.siteId).where(sql`site_id is not null`),
  ],
)

/** Who works a job (its crew): team members by their account id in the registry. */
export const jobAssignees = sqliteTable(
  'job_assignees',
  {
    jobId: text('job_id').notNull(),
    userId: text('user_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.userId] }), index('job_assignees_user_idx').on(t.userId, t.jobId)],
)

export const INVOICE_STATUSES = ['draft', 'open', 'paid', 'void'] as const
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number]

export const invoices = sqliteTable(
  'invoices',
  {
    id: text('id').primaryKey(),
    number: integer('number').notNull(),
    orgClientId: text('org_client_id').notNull(),
    jobId: text('job_id'),
    totalCents: integer('total_cents').notNull(),
    /** With line items: their sum, the tax on the taxable ones at `tax_rate` percent, and total = subtotal + tax. Null for an invoice made from a total alone. */
    subtotalCents: integer('subtotal_cents'),
    taxCents: integer('tax_cents').notNull().default(0),
    taxRate: real('tax_rate'),
    /** When it was last sent to the client (SMS or email with the pay link). */
    sentAt: text('sent_at'),
    paidCents: integer('paid_cents').notNull().default(0),
    status: text('status', { enum: INVOICE_STATUSES }).notNull(),
    dueDate: text('due_date').notNull(),
    notes: text('notes'),
    paidAt: text('paid_at'),
    /** The commercial account billed (the client's account when it has one). */
    accountId: text('account_id'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [
    uniqueIndex('invoices_number_uq').on(t.number),
    index('invoices_client_idx').on(t.orgClientId, t.createdAt),
    index('invoices_status_due_idx').on(t.status, t.dueDate),
    index('invoices_account_idx').on(t.accountId).where(sql`account_id is not null`),
  ],
)

export const PAYMENT_STATUSES = ['pending', 'succeeded', 'refunded'] as const
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number]

export const payments = sqliteTable(
  'payments',
  {
    id: text('id').primaryKey(),
    invoiceId: text('invoice_id').notNull(),
    orgClientId: text('org_client_id').notNull(),
    amountCents: integer('amount_cents').notNull(),
    status: text('status', { enum: PAYMENT_STATUSES }).notNull(),
    method: text('method'),
    externalId: text('external_id'),
    capturedAt: text('captured_at'),
    refundedAt: text('refunded_at'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [
    index('payments_invoice_idx').on(t.invoiceId),
    index('payments_client_idx').on(t.orgClientId, t.createdAt),
    /** A provider's payment id is recorded once per invoice, however often it is posted. */
    uniqueIndex('payments_invoice_external_uq').on(t.invoiceId, t.externalId),
  ],
)

export const REMINDER_TYPES = ['job_upcoming', 'invoice_due'] as const
export const REMINDER_STATUSES = ['pending', 'sent', 'skipped'] as const

/** A message due at `send_at`; created here, sent by the messaging engine. */
export const reminders = sqliteTable(
  'reminders',
  {
    id: text('id').primaryKey(),
    type: text('type', { enum: REMINDER_TYPES }).notNull(),
    orgClientId: text('org_client_id').notNull(),
    jobId: text('job_id'),
    invoiceId: text('invoice_id'),
    /** Which of the subject's reminders this is: `24h`, `2h`, `due-2d`, `due`. */
    offset: text('offset').notNull(),
    sendAt: text('send_at').notNull(),
    status: text('status', { enum: REMINDER_STATUSES }).notNull().default('pending'),
    sentAt: text('sent_at'),
    reason: text('reason'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [
    index('reminders_due_idx').on(t.status, t.sendAt),
    index('reminders_job_idx').on(t.jobId),
    index('reminders_invoice_idx').on(t.invoiceId),
  ],
)

export const MESSAGE_STATUSES = ['queued', 'sent', 'delivered', 'failed', 'skipped', 'deferred'] as const
export type MessageStatus = (typeof MESSAGE_STATUSES)[number]

/**
 * The message log: every message the organization sent or chose not to send, with why.
 * `dedupe_key` (e.g. `reminder:<id>:sms`) makes a reminder, step or campaign send at most once.
 */
export const messages = sqliteTable(
  'messages',
  {
    id: text('id').primaryKey(),
    dedupeKey: text('dedupe_key').notNull(),
    channel: text('channel', { enum: ['sms', 'email'] }).notNull(),
    to: text('to'),
    from: text('from'),
    subject: text('subject'),
    body: text('body').notNull(),
    status: text('status', { enum: MESSAGE_STATUSES }).notNull(),
    /** The provider's own status (Twilio's sent/delivered/undelivered…), kept monotonic. */
    providerStatus: text('provider_status'),
    reason: text('reason'),
    purpose: text('purpose').notNull(),
    transactional: integer('transactional', { mode: 'boolean' }).notNull().default(true),
    orgClientId: text('org_client_id'),
    reminderId: text('reminder_id'),
    enrollmentId: text('enrollment_id'),
    campaignId: text('campaign_id'),
    reviewRequestId: text('review_request_id'),
    /** Quiet hours of this message when not the organization's (a journey's own), `HH:MM-HH:MM`. */
    quietHours: text('quiet_hours'),
    /** Marketing email's one-click unsubscribe link (List-Unsubscribe and the body's last line). */
    unsubscribeUrl: text('unsubscribe_url'),
    /** The job start or invoice due date the message was written for; a change makes it stale. */
    subjectStamp: text('subject_stamp'),
    sendAfter: text('send_after'),
    provider: text('provider'),
    providerMessageId: text('provider_message_id'),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
    sentAt: text('sent_at'),
  },
  (t) => [
    uniqueIndex('messages_dedupe_uq').on(t.dedupeKey),
    index('messages_created_idx').on(t.createdAt),
    index('messages_deferred_idx').on(t.status, t.sendAfter),
    index('messages_client_idx').on(t.orgClientId, t.createdAt),
    index('messages_provider_idx').on(t.providerMessageId),
    index('messages_enrollment_idx').on(t.enrollmentId),
    index('messages_campaign_idx').on(t.campaignId, t.status),
  ],
)

/** The organization's own wording of a message type and channel, replacing the default. */
export const templates = sqliteTable(
  'templates',
  {
    key: text('key').notNull(),
    channel: text('channel', { enum: ['sms', 'email'] }).notNull(),
    subject: text('subject').notNull().default(''),
    body: text('body').notNull(),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.key, t.channel] })],
)

export * from './engagement-schema'
export * from './identity-schema'
export * from './integration-schema'
export * from './schedule-schema'
export * from './imports-schema'
export * from './sales-schema'
