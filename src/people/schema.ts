// Over 300 lines on purpose: every D1 table in the one file drizzle-kit reads (drizzle.people.config.ts) to write the migrations, so a table and its indexes are always found here.
/** Drizzle schema of the global D1 database `PEOPLE`: the people registry, organizations and staff accounts. */
import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`

export const organizations = sqliteTable(
  'organizations',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
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

/** When each organization next has time-driven work due; the minute cron reads only rows past due. */
export const orgSchedule = sqliteTable(
  'org_schedule',
  {
    organizationId: text('organization_id').primaryKey(),
    nextDueAt: text('next_due_at').notNull(),
  },
  (t) => [index('org_schedule_due_idx').on(t.nextDueAt)],
)

/** Which organization sent a provider message id, so delivery callbacks find their message. */
export const messageRoutes = sqliteTable('message_routes', {
  providerMessageId: text('provider_message_id').primaryKey(),
  organizationId: text('organization_id').notNull(),
  messageId: text('message_id').notNull(),
  createdAt: text('created_at').notNull().default(now),
})

/** The local outbox: every message the outbox provider "sent", for /dev/outbox. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id').notNull(),
    messageId: text('message_id').notNull(),
    channel: text('channel', { enum: ['sms', 'email'] }).notNull(),
    to: text('to').notNull(),
    from: text('from').notNull(),
    subject: text('subject'),
    body: text('body').notNull(),
    headers: text('headers', { mode: 'json' }).$type<Record<string, string>>().notNull().default(sql`'{}'`),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('outbox_message_uq').on(t.messageId), index('outbox_org_idx').on(t.organizationId, t.createdAt)],
)

/** Short codes printed on QR cards (`/q/{code}`): which organization a scan belongs to. */
export const qrCodeRoutes = sqliteTable('qr_code_routes', {
  code: text('code').primaryKey(),
  organizationId: text('organization_id').notNull(),
  createdAt: text('created_at').notNull().default(now),
})

/**
 * Which organization a connection belongs to, for webhook routing: by connection id (its own
 * webhook URL) or by the provider's account id (an app-wide webhook such as Jobber's or QuickBooks').
 */
export const integrationRoutes = sqliteTable(
  'integration_routes',
  {
    connectionId: text('connection_id').primaryKey(),
    organizationId: text('organization_id').notNull(),
    provider: text('provider').notNull(),
    accountId: text('account_id'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('integration_routes_account_idx').on(t.provider, t.accountId)],
)

/** OAuth `state` values: one use, ten minutes, bound to the staff session that started the connect. */
export const oauthStates = sqliteTable('oauth_states', {
  state: text('state').primaryKey(),
  organizationId: text('organization_id').notNull(),
  sessionId: text('session_id').notNull(),
  provider: text('provider').notNull(),
  connectionId: text('connection_id').notNull(),
  expiresAt: text('expires_at').notNull(),
})

/** The business's own HomeBase subscription, kept from Stripe's `customer.subscription.*` events. */
export const subscriptions = sqliteTable(
  'subscriptions',
  {
    organizationId: text('organization_id').primaryKey(),
    stripeCustomerId: text('stripe_customer_id'),
    stripeSubscriptionId: text('stripe_subscription_id'),
    plan: text('plan'),
    status: text('status'),
    currentPeriodEnd: text('current_period_end'),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [index('subscriptions_customer_idx').on(t.stripeCustomerId)],
)

/** A one-time code: 6 digits, stored hashed, 10 minutes, 5 tries. */
export const homeownerCodes = sqliteTable(
  'homeowner_codes',
  {
    id: text('id').primaryKey(),
    personId: text('person_id').notNull(),
    channel: text('channel', { enum: ['sms', 'email'] }).notNull(),
    destination: text('destination').notNull(),
    /** `sign_in` opens the portal; `add_point` proves a new phone or email a signed-in homeowner gave. */
    purpose: text('purpose', { enum: ['sign_in', 'add_point'] })
      .notNull()
      .default('sign_in'),
    /** For `add_point`: the account that asked. */
    accountId: text('account_id'),
    codeHash: text('code_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    expiresAt: text('expires_at').notNull(),
    consumedAt: text('consumed_at'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('homeowner_codes_person_idx').on(t.personId, t.createdAt)],
)

/** A homeowner's session; `id` is the SHA-256 of the cookie token (cookie `hb_home`, path `/p`), apart from staff sessions. */
export const homeownerSessions = sqliteTable(
  'homeowner_sessions',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    csrfToken: text('csrf_token').notNull(),
    expiresAt: text('expires_at').notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('homeowner_sessions_expires_idx').on(t.expiresAt)],
)

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

/** Every inbound SMS Twilio delivered, once per `MessageSid`: a replayed webhook finds its row and changes nothing. */
export const inboundSms = sqliteTable(
  'inbound_sms',
  {
    messageSid: text('message_sid').primaryKey(),
    fromE164: text('from_e164').notNull(),
    toE164: text('to_e164').notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('inbound_sms_created_idx').on(t.createdAt)],
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
