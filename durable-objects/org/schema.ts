/** Drizzle schema of one organization's private SQLite storage inside its ORG Durable Object. */
import { sql } from 'drizzle-orm'
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`

/** The one row describing the organization this object belongs to. */
export const profile = sqliteTable('profile', {
  id: integer('id').primaryKey(),
  organizationId: text('organization_id').notNull(),
  name: text('name').notNull(),
  country: text('country').notNull(),
  timezone: text('timezone').notNull(),
  updatedAt: text('updated_at').notNull().default(now),
})

/** This organization's cached copy of a linked person's shared contact fields. */
export const contacts = sqliteTable('contacts', {
  personId: text('person_id').primaryKey(),
  firstName: text('first_name'),
  lastName: text('last_name'),
  primaryEmail: text('primary_email'),
  primaryPhoneE164: text('primary_phone_e164'),
  emails: text('emails', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  phones: text('phones', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  version: integer('version').notNull(),
  updatedAt: text('updated_at').notNull().default(now),
})

/** Flat JSON data (events, custom fields): flat so it crosses RPC with a simple type. */
export type FlatData = Record<string, string | number | boolean | null>
export type CustomFields = FlatData

export type ClientNote = { at: string; author: string | null; text: string }

export const orgClients = sqliteTable('org_clients', {
  id: text('id').primaryKey(),
  personId: text('person_id').notNull(),
  status: text('status', { enum: ['lead', 'active', 'inactive'] }).notNull(),
  tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  ltvCents: integer('ltv_cents').notNull().default(0),
  notes: text('notes', { mode: 'json' }).$type<ClientNote[]>().notNull().default(sql`'[]'`),
  defaultAddressId: text('default_address_id'),
  source: text('source').notNull().default('manual'),
  externalId: text('external_id'),
  createdAt: text('created_at').notNull().default(now),
  updatedAt: text('updated_at').notNull().default(now),
}, (t) => [
  uniqueIndex('org_clients_person_uq').on(t.personId),
  index('org_clients_created_idx').on(t.createdAt, t.id),
  index('org_clients_status_idx').on(t.status, t.createdAt),
])

/** A service property of a client (a client can have several). */
export const addresses = sqliteTable('addresses', {
  id: text('id').primaryKey(),
  orgClientId: text('org_client_id').notNull(),
  label: text('label'),
  address1: text('address1').notNull(),
  address2: text('address2'),
  city: text('city').notNull(),
  state: text('state').notNull(),
  postal: text('postal').notNull(),
  country: text('country').notNull(),
  createdAt: text('created_at').notNull().default(now),
}, (t) => [index('addresses_client_idx').on(t.orgClientId)])

/** Append-only log of what happened in the organization; timelines and journeys read it. */
export const events = sqliteTable('events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  orgClientId: text('org_client_id'),
  data: text('data', { mode: 'json' }).$type<FlatData>().notNull().default(sql`'{}'`),
  createdAt: text('created_at').notNull().default(now),
}, (t) => [index('events_client_idx').on(t.orgClientId, t.createdAt), index('events_type_idx').on(t.type, t.createdAt)])

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
  createdAt: text('created_at').notNull().default(now),
})

export const JOB_STATUSES = ['scheduled', 'in_progress', 'completed', 'canceled', 'blocked'] as const
export type JobStatus = (typeof JOB_STATUSES)[number]

export const jobs = sqliteTable('jobs', {
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
  createdAt: text('created_at').notNull().default(now),
  updatedAt: text('updated_at').notNull().default(now),
}, (t) => [index('jobs_start_idx').on(t.startAt), index('jobs_client_idx').on(t.orgClientId, t.startAt)])

export const INVOICE_STATUSES = ['draft', 'open', 'paid', 'void'] as const
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number]

export const invoices = sqliteTable('invoices', {
  id: text('id').primaryKey(),
  number: integer('number').notNull(),
  orgClientId: text('org_client_id').notNull(),
  jobId: text('job_id'),
  totalCents: integer('total_cents').notNull(),
  paidCents: integer('paid_cents').notNull().default(0),
  status: text('status', { enum: INVOICE_STATUSES }).notNull(),
  dueDate: text('due_date').notNull(),
  notes: text('notes'),
  paidAt: text('paid_at'),
  createdAt: text('created_at').notNull().default(now),
  updatedAt: text('updated_at').notNull().default(now),
}, (t) => [
  uniqueIndex('invoices_number_uq').on(t.number),
  index('invoices_client_idx').on(t.orgClientId, t.createdAt),
  index('invoices_status_due_idx').on(t.status, t.dueDate),
])

export const PAYMENT_STATUSES = ['pending', 'succeeded', 'refunded'] as const
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number]

export const payments = sqliteTable('payments', {
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
}, (t) => [index('payments_invoice_idx').on(t.invoiceId), index('payments_client_idx').on(t.orgClientId, t.createdAt)])

export const REMINDER_TYPES = ['job_upcoming', 'invoice_due'] as const
export const REMINDER_STATUSES = ['pending', 'sent', 'skipped'] as const

/** A message due at `send_at`; created here, sent by the messaging engine. */
export const reminders = sqliteTable('reminders', {
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
}, (t) => [
  index('reminders_due_idx').on(t.status, t.sendAt),
  index('reminders_job_idx').on(t.jobId),
  index('reminders_invoice_idx').on(t.invoiceId),
])
