/** Messages carried by the `events` queue. */
import type { RawRow } from '../imports/columns'

/** One batch of an import's rows (at most 100, and well under the 128 KB message limit). */
export type ImportRowsMessage = {
  type: 'import_rows'
  organization_id: string
  import_id: string
  seq: number
  /** The organization's country, for phones written without a country code. */
  country: string
  rows: Array<{ row: number; fields: RawRow }>
}

/**
 * The clock found work due in an organization: its object claims and decides it. `at` is the
 * tick's time: work due by then is done even if the message arrives early (never later than now).
 */
export type RunDueMessage = { type: 'run_due'; organization_id: string; at?: string }

/** The cron's sweep: the organization's object rewrites its next due time in the registry's index (a lost write heals). */
export type CheckScheduleMessage = { type: 'check_schedule'; organization_id: string }

/**
 * An SMS sent to or received from a client linked to a CRM customer: pushed to that CRM as a
 * note (src/integrations/push.ts), retried with backoff.
 */
export type CrmPushMessage = {
  type: 'crm_push'
  organization_id: string
  connection_id: string
  provider: 'jobber' | 'housecallpro' | 'servicetitan'
  org_client_id: string
  external_client_id: string
  direction: 'outbound' | 'inbound'
  body: string
  at: string
  message_id: string
  /** A call's note (src/integrations/push-calls.ts: `body` is the whole note); a text when absent. */
  kind?: 'text' | 'call'
}

/**
 * A client created or changed here, for one CRM connection with "push new clients" on: the
 * consumer reads the client as it is now and creates or updates the CRM customer
 * (src/integrations/push-customers.ts), retried with backoff.
 */
export type CrmCustomerMessage = {
  type: 'crm_customer_push'
  organization_id: string
  connection_id: string
  provider: 'jobber' | 'housecallpro' | 'servicetitan'
  org_client_id: string
  reason: 'created' | 'updated'
}

/** A job booked here with a CRM job type: created on the CRM's board and linked (src/integrations/booking.ts). */
export type CrmBookingMessage = {
  type: 'crm_booking'
  organization_id: string
  connection_id: string
  provider: 'jobber' | 'housecallpro' | 'servicetitan'
  job_id: string
  job_type_id: string
  business_unit_id?: string
  technician_id?: string
}

/** A verified CRM webhook was stored as a receipt in the organization's object: fetch, map and apply it (src/integrations/inbound/process.ts). */
export type CrmWebhookMessage = { type: 'crm_webhook'; organization_id: string; receipt_id: string }

/** The metrics job's share of businesses: their objects' counts and org_metrics rows as of `at` (src/platform/metrics-job.ts). */
export type MetricsMessage = { type: 'metrics'; organization_ids: string[]; at: string; expected_months: number }

/** A plan's limits changed: these businesses' objects are told their plan's limits again (src/platform/plan-settings.ts). */
export type PlanLimitsMessage = { type: 'plan_limits'; organization_ids: string[] }

export type EventMessage =
  | PlanLimitsMessage
  | ImportRowsMessage
  | RunDueMessage
  | CheckScheduleMessage
  | CrmPushMessage
  | CrmCustomerMessage
  | CrmBookingMessage
  | CrmWebhookMessage
  | MetricsMessage
