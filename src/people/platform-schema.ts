/**
 * D1 tables of HomeBase run as a business (seed 004): plans and each business's plan history,
 * the daily metrics per business and for the platform, support tickets and their replies, the
 * assistant's notes on tickets, and announcements to owners.
 */
import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`

/** A plan a business pays for (seed 004's membership tiers); the default one applies without a subscription. */
export const plans = sqliteTable(
  'plans',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    priceMonthlyCents: integer('price_monthly_cents').notNull(),
    /** The Stripe price a subscription names; null for a plan not sold through Stripe (Free). */
    stripePriceId: text('stripe_price_id'),
    /** Texts a business may send per billing period, and people on its team. */
    smsPerMonth: integer('sms_per_month').notNull(),
    teamSize: integer('team_size').notNull(),
    position: integer('position').notNull().default(0),
    /** The plan of a business with no live subscription (exactly one). */
    isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [
    uniqueIndex('plans_stripe_price_uq').on(t.stripePriceId),
    uniqueIndex('plans_default_uq').on(t.isDefault).where(sql`is_default = 1`),
  ],
)

/** Every change of a business's subscription, in order: its plan history and the churn count read it. */
export const subscriptionHistory = sqliteTable(
  'subscription_history',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id').notNull(),
    planId: text('plan_id'),
    status: text('status'),
    mrrCents: integer('mrr_cents').notNull().default(0),
    /** The Stripe event's id (a replay adds nothing) and time. */
    stripeEventId: text('stripe_event_id'),
    at: text('at').notNull(),
  },
  (t) => [
    index('subscription_history_org_idx').on(t.organizationId, t.at),
    index('subscription_history_at_idx').on(t.at),
    uniqueIndex('subscription_history_event_uq').on(t.stripeEventId),
  ],
)

export const ENGAGEMENTS = ['active', 'at_risk', 'dormant'] as const
export type Engagement = (typeof ENGAGEMENTS)[number]

/** A business's figures as the metrics job last computed them (seed 004's activity and revenue metrics). */
export const orgMetrics = sqliteTable(
  'org_metrics',
  {
    organizationId: text('organization_id').primaryKey(),
    clients: integer('clients').notNull().default(0),
    jobs30d: integer('jobs_30d').notNull().default(0),
    messages30d: integer('messages_30d').notNull().default(0),
    /** Texts sent this billing period (the plan's allowance is counted against it). */
    smsThisPeriod: integer('sms_this_period').notNull().default(0),
    lastSignInAt: text('last_sign_in_at'),
    engagement: text('engagement', { enum: ENGAGEMENTS }).notNull().default('dormant'),
    mrrCents: integer('mrr_cents').notNull().default(0),
    ltvCents: integer('ltv_cents').notNull().default(0),
    totalSpentCents: integer('total_spent_cents').notNull().default(0),
    computedAt: text('computed_at').notNull(),
  },
  (t) => [index('org_metrics_engagement_idx').on(t.engagement), index('org_metrics_mrr_idx').on(t.mrrCents)],
)

/** The platform's headline figures, one row per day the job ran: the console's charts read them. */
export const platformMetrics = sqliteTable('platform_metrics', {
  day: text('day').primaryKey(),
  organizations: integer('organizations').notNull(),
  activeSubscriptions: integer('active_subscriptions').notNull(),
  mrrCents: integer('mrr_cents').notNull(),
  churned30d: integer('churned_30d').notNull(),
  signups30d: integer('signups_30d').notNull(),
  computedAt: text('computed_at').notNull(),
})

export const TICKET_STATUSES = ['open', 'pending', 'closed'] as const
export const TICKET_PRIORITIES = ['low', 'normal', 'high'] as const

/** A business's staff writing to the people who run HomeBase. */
export const supportTickets = sqliteTable(
  'support_tickets',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id').notNull(),
    /** The staff account that opened it. */
    openedBy: text('opened_by').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    status: text('status', { enum: TICKET_STATUSES }).notNull().default('open'),
    priority: text('priority', { enum: TICKET_PRIORITIES }).notNull().default('normal'),
    /** The operator working it (their account id). */
    assignee: text('assignee'),
    aiSummary: text('ai_summary'),
    suggestedPriority: text('suggested_priority', { enum: TICKET_PRIORITIES }),
    lastReplyAt: text('last_reply_at'),
    lastReplyFrom: text('last_reply_from', { enum: ['business', 'operator'] }),
    closedAt: text('closed_at'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [
    index('support_tickets_status_idx').on(t.status, t.updatedAt),
    index('support_tickets_org_idx').on(t.organizationId, t.createdAt),
  ],
)

/** A reply on a ticket; an operator's `internal` note is never shown to the business. */
export const supportReplies = sqliteTable(
  'support_replies',
  {
    id: text('id').primaryKey(),
    ticketId: text('ticket_id').notNull(),
    from: text('from', { enum: ['business', 'operator'] }).notNull(),
    authorId: text('author_id').notNull(),
    body: text('body').notNull(),
    internal: integer('internal', { mode: 'boolean' }).notNull().default(false),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('support_replies_ticket_idx').on(t.ticketId, t.createdAt)],
)

/** Every call to the assistant about a ticket (summary and suggested priority): what was asked and answered. */
export const supportAiInteractions = sqliteTable(
  'support_ai_interactions',
  {
    id: text('id').primaryKey(),
    ticketId: text('ticket_id').notNull(),
    kind: text('kind').notNull(),
    model: text('model').notNull(),
    prompt: text('prompt').notNull(),
    response: text('response').notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('support_ai_ticket_idx').on(t.ticketId, t.createdAt)],
)

/** An operator's email to the owners of a filtered set of businesses. */
export const announcements = sqliteTable(
  'announcements',
  {
    id: text('id').primaryKey(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    /** The console's filter it went to (plan, engagement, signup dates), JSON. */
    audience: text('audience', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    createdBy: text('created_by').notNull(),
    recipients: integer('recipients').notNull().default(0),
    sentAt: text('sent_at'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('announcements_created_idx').on(t.createdAt)],
)

/** One owner's copy of an announcement: at most one each (the primary key), with why it was skipped. */
export const announcementSends = sqliteTable(
  'announcement_sends',
  {
    announcementId: text('announcement_id').notNull(),
    accountId: text('account_id').notNull(),
    organizationId: text('organization_id').notNull(),
    email: text('email').notNull(),
    status: text('status', { enum: ['queued', 'sent', 'skipped'] }).notNull(),
    reason: text('reason'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.announcementId, t.accountId] })],
)
