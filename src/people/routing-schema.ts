/** D1 tables the Worker routes and remembers by across businesses: due times, message and QR-code routes, webhook connections, OAuth states, subscriptions, homeowner codes and sessions, the outbox, inbound texts. */
import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { accounts } from './accounts-schema'

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`

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
    /** The plan (platform-schema.ts) the subscription's price names; null: the default plan. */
    planId: text('plan_id'),
    status: text('status'),
    currentPeriodEnd: text('current_period_end'),
    /** The plan's monthly price while active (trialing and the rest count 0). */
    mrrCents: integer('mrr_cents').notNull().default(0),
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
