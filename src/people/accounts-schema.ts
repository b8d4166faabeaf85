/** D1 tables of businesses and the people who sign in to them: organizations, staff accounts, teams, sessions, keys, invites, limits, resets, idempotency keys. */
import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`

export const organizations = sqliteTable(
  'organizations',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** The business's public short name in links (`/book/{slug}`): lower-case letters, digits and dashes, unique. */
    slug: text('slug'),
    country: text('country').notNull().default('US'),
    timezone: text('timezone').notNull().default('America/New_York'),
    phone: text('phone'),
    googleReviewUrl: text('google_review_url'),
    /** The organization's own SMS number (E.164); null means the platform's TWILIO_FROM_NUMBER. */
    smsFrom: text('sms_from'),
    /** When the ORG object last wrote its next due time to `org_schedule`; the cron re-checks the oldest. */
    scheduleCheckedAt: text('schedule_checked_at'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [
    uniqueIndex('organizations_sms_from_uq').on(t.smsFrom),
    uniqueIndex('organizations_slug_uq').on(t.slug),
    index('organizations_schedule_checked_idx').on(t.scheduleCheckedAt),
  ],
)

export const accounts = sqliteTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    /**
     * Staff sign in with it. A homeowner account (made by a one-time code, no password) holds the
     * verified email, or `<E.164>@phone.homebase.invalid` when a phone proved it.
     */
    email: text('email').notNull(),
    name: text('name'),
    passwordHash: text('password_hash').notNull(),
    kind: text('kind', { enum: ['staff', 'homeowner'] })
      .notNull()
      .default('staff'),
    /** The last time this account signed in to the staff pages (the console's engagement reads it). */
    lastSignInAt: text('last_sign_in_at'),
    /** When the owner asked for no more announcements from HomeBase (service emails still go). */
    announcementsOptOutAt: text('announcements_opt_out_at'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('accounts_email_uq').on(t.email)],
)

/** What a member of a business's team may be: techs and members work jobs; admins and owners also run the business. */
export const TEAM_ROLES = ['owner', 'admin', 'member', 'tech'] as const
export type TeamRole = (typeof TEAM_ROLES)[number]

/** The roles an invite may give (an owner is made by changing a member's role). */
export const INVITE_ROLES = ['admin', 'member', 'tech'] as const

export const memberships = sqliteTable(
  'memberships',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    role: text('role', { enum: TEAM_ROLES }).notNull(),
    /** The person's colour on the schedule (`#rrggbb`); null picks one from their id. */
    color: text('color'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.organizationId] }), index('memberships_org_idx').on(t.organizationId)],
)

/** A staff session; `id` is the SHA-256 of the cookie token, so a leaked table opens no session. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    csrfToken: text('csrf_token').notNull(),
    expiresAt: text('expires_at').notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('sessions_expires_idx').on(t.expiresAt), index('sessions_account_idx').on(t.accountId)],
)

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    createdBy: text('created_by').references(() => accounts.id),
    createdAt: text('created_at').notNull().default(now),
    lastUsedAt: text('last_used_at'),
    revokedAt: text('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_hash_uq').on(t.keyHash), index('api_keys_org_idx').on(t.organizationId)],
)

export const invites = sqliteTable(
  'invites',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    email: text('email').notNull(),
    role: text('role', { enum: INVITE_ROLES }).notNull(),
    /** The name the inviter gave; the new account's name unless the person types another. */
    name: text('name'),
    tokenHash: text('token_hash').notNull(),
    invitedBy: text('invited_by')
      .notNull()
      .references(() => accounts.id),
    createdAt: text('created_at').notNull().default(now),
    expiresAt: text('expires_at').notNull(),
    acceptedAt: text('accepted_at'),
  },
  (t) => [uniqueIndex('invites_token_uq').on(t.tokenHash), index('invites_org_idx').on(t.organizationId)],
)

/** Fixed-window counters for rate limits (login attempts per account and per IP). */
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: integer('window_start').notNull(),
  count: integer('count').notNull(),
})

/** A password-reset link: `id` is the SHA-256 of the emailed token; single use, 30 minutes. */
export const passwordResets = sqliteTable(
  'password_resets',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    expiresAt: text('expires_at').notNull(),
    usedAt: text('used_at'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('password_resets_account_idx').on(t.accountId)],
)

/**
 * One `Idempotency-Key` of one organization (24 hours): the request's hash, and once it has
 * finished, the answer it gave. `status` is `running` while the first request is in flight.
 */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    organizationId: text('organization_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    status: text('status', { enum: ['running', 'done'] }).notNull(),
    responseStatus: integer('response_status'),
    responseBody: text('response_body'),
    createdAt: text('created_at').notNull().default(now),
    expiresAt: text('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.key] }), index('idempotency_keys_expires_idx').on(t.expiresAt)],
)
