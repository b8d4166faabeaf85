/** The Worker's bindings and variables, as declared in wrangler.toml and .dev.vars. */
import type { OrgObject } from '../durable-objects/org/org-object'
import type { StaffSession } from './auth/sessions'
import type { Organization } from './organizations'
import type { EventMessage } from './queues/messages'

export interface Env {
  PEOPLE: D1Database
  ORG: DurableObjectNamespace<OrgObject>
  EVENTS: Queue<EventMessage>
  SENDS: Queue<unknown>
  ASSETS: Fetcher
  /** `development` enables the local-only pages (outbox); anything else is production. */
  APP_ENV: string
  /** `outbox` (default) or `twilio`. */
  SMS_PROVIDER: string
  /** `outbox` (default), `resend` or `cloudflare`. */
  EMAIL_PROVIDER: string
  /** Secrets and settings documented in .dev.vars.example. */
  TWILIO_ACCOUNT_SID?: string
  TWILIO_AUTH_TOKEN?: string
  TWILIO_FROM_NUMBER?: string
  TWILIO_MESSAGING_SERVICE_SID?: string
  RESEND_API_KEY?: string
  EMAIL_FROM?: string
  PORTAL_SIGNING_KEY?: string
  PUBLIC_BASE_URL?: string
  /** Cloudflare Email Sending, when configured (`[[send_email]] name = "EMAIL"`). */
  EMAIL?: { send(message: { from: string; to: string; subject: string; html?: string; text?: string; headers?: Record<string, string> }): Promise<{ messageId: string }> }
}

/** The variables our Hono middleware puts on the context. */
export type Vars = {
  /** The organization the caller acts for (from the API key or the session). */
  organization: Organization
  /** That organization's Durable Object. */
  org: DurableObjectStub<OrgObject>
  /** The staff session on page requests; null on API requests. */
  session: StaffSession | null
}

export type AppEnv = { Bindings: Env; Variables: Vars }
