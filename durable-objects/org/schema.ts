/** Drizzle schema of one organization's private SQLite storage inside its ORG Durable Object. */
import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

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
  data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
  createdAt: text('created_at').notNull().default(now),
}, (t) => [index('events_client_idx').on(t.orgClientId, t.createdAt), index('events_type_idx').on(t.type, t.createdAt)])
