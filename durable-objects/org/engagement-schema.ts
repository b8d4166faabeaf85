// Over 300 lines on purpose: journeys, the review funnel and campaigns reference each other's tables (a campaign send is a message; a review step opens a review request), so they are declared together.
/**
 * Drizzle schema of an organization's journeys, review funnel and campaigns (seed 001's
 * sequences, steps, enrollments, review requests, private feedback, techs and QR codes, and
 * seed 000's campaigns). Re-exported by `schema.ts`.
 */
import type { ClientStatus } from './crm/statuses'
import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`

export const JOURNEY_TRIGGERS = [
  'job_completed',
  'invoice_paid',
  'client_created',
  'lead_created',
  'job_booked',
  'manual',
  'estimate_sent',
  'estimate_approved',
  'estimate_declined',
] as const
export type JourneyTrigger = (typeof JOURNEY_TRIGGERS)[number]
export const TRIGGER_SOURCES = ['any', 'manual', 'jobber', 'housecallpro', 'servicetitan', 'quickbooks'] as const
export type TriggerSource = (typeof TRIGGER_SOURCES)[number]
export const JOURNEY_STATUSES = ['draft', 'active', 'paused'] as const
export type JourneyStatus = (typeof JOURNEY_STATUSES)[number]
export const STOP_CONDITIONS = ['job_booked', 'replied', 'opted_out', 'invoice_paid', 'review_left'] as const
export type StopCondition = (typeof STOP_CONDITIONS)[number]
export const MESSAGE_PURPOSES = ['thank_you', 'follow_up', 'review', 'rebooking', 'retention', 'upsell'] as const
export type MessagePurpose = (typeof MESSAGE_PURPOSES)[number]

/** Journey settings; a missing field takes the default described beside it. */
export type JourneySettings = {
  /** Overrides the organization's quiet hours for this journey's messages. */
  quiet_hours?: { start: string; end: string }
  /** Events that end an enrollment before its next step. */
  stop_on?: StopCondition[]
  /** `never`: a client goes through once; `after_days`: again once N days passed since the last enrollment (default 180). */
  reentry?: { mode: 'never' } | { mode: 'after_days'; days: number }
}

/** A journey (seed: sequences). Its steps live per version in `journey_steps`. */
export const journeys = sqliteTable(
  'journeys',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    triggerEvent: text('trigger_event', { enum: JOURNEY_TRIGGERS }).notNull(),
    triggerSource: text('trigger_source', { enum: TRIGGER_SOURCES }).notNull().default('any'),
    status: text('status', { enum: JOURNEY_STATUSES }).notNull().default('draft'),
    settings: text('settings', { mode: 'json' }).$type<JourneySettings>().notNull().default(sql`'{}'`),
    /** The version new enrollments start on; running enrollments keep theirs. */
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [index('journeys_trigger_idx').on(t.triggerEvent, t.status)],
)

export const STEP_TYPES = ['wait', 'sms', 'email', 'review_request', 'branch'] as const
export type StepType = (typeof STEP_TYPES)[number]
export const BRANCH_CONDITIONS = ['review_left', 'invoice_paid', 'replied', 'job_booked'] as const
export type BranchCondition = (typeof BRANCH_CONDITIONS)[number]
/** Where a branch goes: on to the next step, end the journey, or jump ahead to step `n` (0-based). */
export type BranchTarget = 'continue' | 'end' | number

/** One step of one version of a journey (seed: sequence_steps). */
export const journeySteps = sqliteTable(
  'journey_steps',
  {
    journeyId: text('journey_id').notNull(),
    version: integer('version').notNull(),
    position: integer('position').notNull(),
    type: text('type', { enum: STEP_TYPES }).notNull(),
    delayMinutes: integer('delay_minutes'),
    channel: text('channel', { enum: ['sms', 'email'] }),
    purpose: text('purpose', { enum: MESSAGE_PURPOSES }),
    subject: text('subject'),
    body: text('body'),
    condition: text('condition', { enum: BRANCH_CONDITIONS }),
    onTrue: text('on_true', { mode: 'json' }).$type<BranchTarget>(),
    onFalse: text('on_false', { mode: 'json' }).$type<BranchTarget>(),
  },
  (t) => [primaryKey({ columns: [t.journeyId, t.version, t.position] })],
)

export const ENROLLMENT_STATUSES = ['active', 'completed', 'stopped', 'cancelled_crm_event', 'failed'] as const
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number]

/** A client's way through one version of a journey (seed: customer_enrollments). */
export const enrollments = sqliteTable(
  'enrollments',
  {
    id: text('id').primaryKey(),
    journeyId: text('journey_id').notNull(),
    version: integer('version').notNull(),
    orgClientId: text('org_client_id').notNull(),
    /** The position of the next step to run. */
    currentStep: integer('current_step').notNull().default(0),
    status: text('status', { enum: ENROLLMENT_STATUSES }).notNull().default('active'),
    nextStepAt: text('next_step_at'),
    /** The event that started it, and what it was about (job, invoice), for branches and messages. */
    triggerEventId: text('trigger_event_id'),
    jobId: text('job_id'),
    invoiceId: text('invoice_id'),
    source: text('source').notNull().default('manual'),
    endedAt: text('ended_at'),
    endReason: text('end_reason'),
    /** Set 90 days after an enrollment ended: kept for re-entry rules, left out of lists. */
    archivedAt: text('archived_at'),
    enrolledAt: text('enrolled_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [
    index('enrollments_due_idx').on(t.status, t.nextStepAt),
    index('enrollments_journey_idx').on(t.journeyId, t.status, t.enrolledAt),
    index('enrollments_client_idx').on(t.orgClientId, t.journeyId, t.enrolledAt),
    index('enrollments_ended_idx').on(t.archivedAt, t.endedAt),
  ],
)

/** What happened at each step of an enrollment: its history on the enrollment page. */
export const enrollmentLog = sqliteTable(
  'enrollment_log',
  {
    id: text('id').primaryKey(),
    enrollmentId: text('enrollment_id').notNull(),
    position: integer('position'),
    type: text('type').notNull(),
    outcome: text('outcome').notNull(),
    messageId: text('message_id'),
    at: text('at').notNull(),
  },
  (t) => [index('enrollment_log_idx').on(t.enrollmentId, t.at)],
)

export const REVIEW_REQUEST_STATUSES = ['scheduled', 'sent', 'delivered', 'failed', 'clicked'] as const
export type ReviewRequestStatus = (typeof REVIEW_REQUEST_STATUSES)[number]

/**
 * One ask for a rating (seed: review_requests): sent by a journey step, or opened from a tech's
 * QR code. Rating, public-link click and private feedback are recorded on it.
 */
export const reviewRequests = sqliteTable(
  'review_requests',
  {
    id: text('id').primaryKey(),
    orgClientId: text('org_client_id'),
    enrollmentId: text('enrollment_id'),
    messageId: text('message_id'),
    techId: text('tech_id'),
    qrCodeId: text('qr_code_id'),
    jobId: text('job_id'),
    channel: text('channel', { enum: ['sms', 'email', 'qr', 'portal'] }).notNull(),
    status: text('status', { enum: REVIEW_REQUEST_STATUSES }).notNull().default('scheduled'),
    rating: integer('rating'),
    ratedAt: text('rated_at'),
    openedAt: text('opened_at'),
    publicClickedAt: text('public_clicked_at'),
    sentAt: text('sent_at'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [
    index('review_requests_created_idx').on(t.createdAt),
    index('review_requests_client_idx').on(t.orgClientId, t.createdAt),
    index('review_requests_message_idx').on(t.messageId),
    index('review_requests_tech_idx').on(t.techId, t.ratedAt),
  ],
)

/** What a 1–3 star rater told the business privately (seed: private_feedback). */
export const privateFeedback = sqliteTable(
  'private_feedback',
  {
    id: text('id').primaryKey(),
    reviewRequestId: text('review_request_id'),
    orgClientId: text('org_client_id'),
    techId: text('tech_id'),
    rating: integer('rating').notNull(),
    feedback: text('feedback').notNull().default(''),
    callbackRequested: integer('callback_requested', { mode: 'boolean' }).notNull().default(false),
    customerName: text('customer_name'),
    customerEmail: text('customer_email'),
    customerPhone: text('customer_phone'),
    source: text('source', { enum: ['sms', 'email', 'qr', 'portal'] }).notNull(),
    /** Null until someone on staff has read it: the unread count is the app's badge. */
    readAt: text('read_at'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('private_feedback_created_idx').on(t.createdAt), index('private_feedback_unread_idx').on(t.readAt)],
)

/**
 * Something an owner should hear about (a low rating, written private feedback). Alerts go out
 * as one email per business per hour at most: `sent_at` is set when a digest carried the row.
 */
export const reviewAlerts = sqliteTable(
  'review_alerts',
  {
    id: text('id').primaryKey(),
    reviewRequestId: text('review_request_id').notNull(),
    kind: text('kind', { enum: ['rating', 'feedback'] }).notNull(),
    createdAt: text('created_at').notNull().default(now),
    sentAt: text('sent_at'),
  },
  (t) => [index('review_alerts_unsent_idx').on(t.sentAt, t.createdAt)],
)

export const techs = sqliteTable('techs', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email'),
  /** The team member this tech is (the registry's account id); null for a tech not yet on the team. */
  userId: text('user_id'),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  createdAt: text('created_at').notNull().default(now),
})

/** A printed QR code; `/q/{code}` counts the scan and opens the rating page for its tech. */
export const qrCodes = sqliteTable(
  'qr_codes',
  {
    id: text('id').primaryKey(),
    code: text('code').notNull(),
    techId: text('tech_id'),
    label: text('label').notNull(),
    scanCount: integer('scan_count').notNull().default(0),
    lastScannedAt: text('last_scanned_at'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('qr_codes_code_uq').on(t.code)],
)

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sending', 'sent', 'cancelled'] as const
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number]

/** Who a campaign goes to; every field narrows the set, none means every client. */
export type Segment = {
  status?: ClientStatus[]
  tags?: string[]
  last_job_before?: string
  last_job_after?: string
  service_id?: string
  ltv_min_cents?: number
  ltv_max_cents?: number
  /** Only clients who have explicitly opted in to the campaign's channel. */
  opted_in?: boolean
}

/** A one-off message to a segment (seed 000: campaigns). */
export const campaigns = sqliteTable(
  'campaigns',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    channel: text('channel', { enum: ['sms', 'email'] }).notNull(),
    segment: text('segment', { mode: 'json' }).$type<Segment>().notNull().default(sql`'{}'`),
    subject: text('subject'),
    body: text('body').notNull(),
    status: text('status', { enum: CAMPAIGN_STATUSES }).notNull().default('draft'),
    /** When sending starts; null for a draft. */
    sendAt: text('send_at'),
    total: integer('total').notNull().default(0),
    startedAt: text('started_at'),
    finishedAt: text('finished_at'),
    cancelledAt: text('cancelled_at'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [index('campaigns_due_idx').on(t.status, t.sendAt)],
)

export const CAMPAIGN_SEND_STATUSES = ['pending', 'queued', 'sent', 'failed', 'skipped'] as const
export type CampaignSendStatus = (typeof CAMPAIGN_SEND_STATUSES)[number]

/** One recipient of a campaign (seed 000: campaign_sends), fixed when sending starts. */
export const campaignSends = sqliteTable(
  'campaign_sends',
  {
    campaignId: text('campaign_id').notNull(),
    orgClientId: text('org_client_id').notNull(),
    status: text('status', { enum: CAMPAIGN_SEND_STATUSES }).notNull().default('pending'),
    reason: text('reason'),
    messageId: text('message_id'),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.orgClientId] }),
    index('campaign_sends_status_idx').on(t.campaignId, t.status),
    index('campaign_sends_message_idx').on(t.messageId),
  ],
)

export const TASK_TYPES = ['reschedule_request', 'callback_request', 'contact_changed'] as const
export const TASK_STATUSES = ['open', 'done'] as const

/** Something staff must act on, asked for by a homeowner (a reschedule with preferred times, a call back). */
export const tasks = sqliteTable(
  'tasks',
  {
    id: text('id').primaryKey(),
    type: text('type', { enum: TASK_TYPES }).notNull(),
    orgClientId: text('org_client_id').notNull(),
    jobId: text('job_id'),
    /** Preferred times (ISO instants) for a reschedule, as the homeowner gave them. */
    preferredTimes: text('preferred_times', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    note: text('note'),
    status: text('status', { enum: TASK_STATUSES }).notNull().default('open'),
    createdAt: text('created_at').notNull().default(now),
    doneAt: text('done_at'),
  },
  (t) => [index('tasks_open_idx').on(t.status, t.createdAt), index('tasks_job_idx').on(t.jobId)],
)
