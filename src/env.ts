/** The Worker's bindings and variables, as declared in wrangler.toml and .dev.vars. */
import type { OrgObject } from '../durable-objects/org/org-object'
import type { StaffSession } from './auth/sessions'
import type { Organization } from './organizations'
import type { EventMessage, ImportRowsMessage } from './queues/messages'
import type { PageProps } from '../views/layout'

export interface Env {
  PEOPLE: D1Database
  ORG: DurableObjectNamespace<OrgObject>
  EVENTS: Queue<EventMessage>
  SENDS: Queue<unknown>
  IMPORTS: Queue<ImportRowsMessage>
  ASSETS: Fetcher
  /** `development` enables the local-only pages (outbox); anything else is production. */
  APP_ENV: string
  /** `outbox` (default) or `twilio`. */
  SMS_PROVIDER: string
  /** `outbox` (default), `resend` or `cloudflare`. */
  EMAIL_PROVIDER: string
  /** Secrets and settings documented in .dev.vars.example. */
  /** Emails of the accounts that run HomeBase (comma-separated): they see the console at /admin. */
  PLATFORM_ADMINS?: string
  TWILIO_ACCOUNT_SID?: string
  TWILIO_AUTH_TOKEN?: string
  TWILIO_FROM_NUMBER?: string
  TWILIO_MESSAGING_SERVICE_SID?: string
  RESEND_API_KEY?: string
  EMAIL_FROM?: string
  /** Where clients' email replies are received (Email Routing or Resend inbound): outgoing email's Reply-To is `reply+…@` it. */
  EMAIL_REPLY_DOMAIN?: string
  /** Verifies Resend's webhooks (Svix, `whsec_…`), e.g. `email.received` on /webhooks/email/resend. */
  RESEND_WEBHOOK_SECRET?: string
  PORTAL_SIGNING_KEY?: string
  /** The id new portal links name (default `k1`); PORTAL_OLD_KEYS (`kid:key,…`) still verify. See src/messaging/portal-token.ts. */
  PORTAL_SIGNING_KEY_ID?: string
  PORTAL_OLD_KEYS?: string
  PUBLIC_BASE_URL?: string
  /** Seals OAuth tokens and webhook secrets at rest (AES-GCM); see src/integrations/secrets.ts. */
  ENCRYPTION_KEY?: string
  ENCRYPTION_KEY_ID?: string
  ENCRYPTION_OLD_KEYS?: string
  /** OAuth apps and webhook keys of the CRM and accounting integrations. */
  JOBBER_CLIENT_ID?: string
  JOBBER_CLIENT_SECRET?: string
  HOUSECALLPRO_CLIENT_ID?: string
  HOUSECALLPRO_CLIENT_SECRET?: string
  QUICKBOOKS_CLIENT_ID?: string
  QUICKBOOKS_CLIENT_SECRET?: string
  /** QuickBooks' webhook verifier token (per app, not the OAuth secret). */
  QUICKBOOKS_VERIFIER_TOKEN?: string
  SERVICETITAN_CLIENT_ID?: string
  SERVICETITAN_CLIENT_SECRET?: string
  SERVICETITAN_APP_KEY?: string
  /**
   * Provider endpoints as JSON, merged over the real ones (src/integrations/endpoints.ts), so
   * tests and local development can point them at stubs: {"jobber":{"token":"…","graphql":"…"},…}.
   */
  INTEGRATION_ENDPOINTS?: string
  /** Stripe: verifies /webhooks/stripe and creates Checkout sessions. */
  STRIPE_WEBHOOK_SECRET?: string
  STRIPE_SECRET_KEY?: string
  /** Stripe's API origin, `https://api.stripe.com` when unset; tests and local development point it at a fake Stripe. */
  STRIPE_API_BASE?: string
  /** Workers AI (`[ai] binding = "AI"`), when deployed with it: the assistant's model. Absent locally and in tests. */
  AI?: Ai
  /** Cloudflare Email Sending, when configured (`[[send_email]] name = "EMAIL"`). */
  EMAIL?: {
    send(message: {
      from: string
      to: string
      subject: string
      html?: string
      text?: string
      headers?: Record<string, string>
      replyTo?: string
    }): Promise<{ messageId: string }>
  }
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

declare module 'hono' {
  /** `c.render(<Page />, { title, active })` on HomeBase's pages (views/layout.tsx). */
  interface ContextRenderer {
    // biome-ignore lint/style/useShorthandFunctionType: an interface, so it merges with the one Hono declares
    (content: string | Promise<string>, props: PageProps): Response | Promise<Response>
  }
}
