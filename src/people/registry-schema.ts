/** D1 tables of the people registry: people, their emails and phones, who told us, consent, homeowner accounts' points and addresses, and which businesses hold each person. */
import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { organizations, accounts } from './accounts-schema'

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`

export const people = sqliteTable('people', {
  id: text('id').primaryKey(),
  firstName: text('first_name'),
  lastName: text('last_name'),
  primaryEmail: text('primary_email'),
  primaryPhoneE164: text('primary_phone_e164'),
  avatarUrl: text('avatar_url'),
  version: integer('version').notNull().default(1),
  createdAt: text('created_at').notNull().default(now),
  updatedAt: text('updated_at').notNull().default(now),
})

/** An email identifies one person: an email match always links to the same person. */
export const personEmails = sqliteTable(
  'person_emails',
  {
    id: text('id').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    email: text('email').notNull(),
    isPrimary: integer('is_primary', { mode: 'boolean' }).notNull().default(false),
    /** When the homeowner proved this address with a one-time code. */
    verifiedAt: text('verified_at'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('person_emails_email_uq').on(t.email), index('person_emails_person_idx').on(t.personId)],
)

/** A phone may be shared (a household's landline): several people can hold one number. */
export const personPhones = sqliteTable(
  'person_phones',
  {
    id: text('id').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    phoneE164: text('phone_e164').notNull(),
    isPrimary: integer('is_primary', { mode: 'boolean' }).notNull().default(false),
    /** When the homeowner proved this number with a one-time code. */
    verifiedAt: text('verified_at'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [
    uniqueIndex('person_phones_phone_person_uq').on(t.phoneE164, t.personId),
    index('person_phones_person_idx').on(t.personId),
  ],
)

/** Provenance of the identity graph: which organization told us that a person has this email or phone. */
export const contactAssertions = sqliteTable(
  'contact_assertions',
  {
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    organizationId: text('organization_id').notNull(),
    kind: text('kind', { enum: ['email', 'phone'] }).notNull(),
    value: text('value').notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.value, t.organizationId, t.personId] }),
    index('contact_assertions_person_idx').on(t.personId),
  ],
)

/** The people an organization has upserted or held: `is_new` of an upsert is relative to this list. */
export const orgPeople = sqliteTable(
  'org_people',
  {
    organizationId: text('organization_id').notNull(),
    personId: text('person_id').notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.personId] })],
)

/**
 * Consent follows the contact point, per business, as the law keys it: SMS consent a phone number
 * (a STOP stops texts to that number, whoever shares it), email consent an address.
 */
export const pointConsents = sqliteTable(
  'point_consents',
  {
    organizationId: text('organization_id').notNull(),
    /** E.164 phone or lower-cased email. */
    point: text('point').notNull(),
    optIn: integer('opt_in', { mode: 'boolean' }).notNull().default(true),
    /** Email only: offers and news (an unsubscribe link turns only this off). */
    marketingOptIn: integer('marketing_opt_in', { mode: 'boolean' }).notNull().default(true),
    /** When the person chose this channel themselves; null while it is on only by default, or off. */
    optedInAt: text('opted_in_at'),
    reason: text('reason'),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.point] })],
)

/** The contact points a homeowner account proved with a one-time code: what the portal opens by. */
export const accountPoints = sqliteTable(
  'account_points',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    point: text('point').notNull(),
    verifiedAt: text('verified_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.point] }), index('account_points_point_idx').on(t.point)],
)

/** A homeowner's own addresses. A business's service properties live in its ORG object. */
export const addresses = sqliteTable(
  'addresses',
  {
    id: text('id').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    label: text('label'),
    address1: text('address1').notNull(),
    address2: text('address2'),
    city: text('city').notNull(),
    state: text('state').notNull(),
    postal: text('postal').notNull(),
    country: text('country').notNull().default('US'),
    lat: real('lat'),
    lng: real('lng'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('addresses_person_idx').on(t.personId)],
)

/** Consent per person; `organization_id` '' is the person's global choice, otherwise one business's. */
export const consents = sqliteTable(
  'consents',
  {
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    organizationId: text('organization_id').notNull().default(''),
    emailOptIn: integer('email_opt_in', { mode: 'boolean' }).notNull().default(true),
    smsOptIn: integer('sms_opt_in', { mode: 'boolean' }).notNull().default(true),
    /**
     * When the person chose a channel themselves (a START reply, a change that named the channel
     * as on); null while it is on only by default or is off. Campaign segments' "opted in" reads these.
     */
    emailOptedInAt: text('email_opted_in_at'),
    /**
     * Offers and news by email (journeys, campaigns, review requests). An unsubscribe link turns only
     * this off: appointment reminders and receipts still come while `email_opt_in` is on.
     */
    marketingEmailOptIn: integer('marketing_email_opt_in', { mode: 'boolean' }).notNull().default(true),
    smsOptedInAt: text('sms_opted_in_at'),
    reason: text('reason'),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.personId, t.organizationId] })],
)

/** Which organizations hold a client record for a person: the fan-out list for contact changes. */
export const personOrgs = sqliteTable(
  'person_orgs',
  {
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.personId, t.organizationId] }), index('person_orgs_org_idx').on(t.organizationId)],
)

export const userPersonLinks = sqliteTable(
  'user_person_links',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    /** The contact point a homeowner proved with a one-time code (E.164 or lower-cased email). */
    verifiedWith: text('verified_with'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.personId] }), index('user_person_links_person_idx').on(t.personId)],
)
