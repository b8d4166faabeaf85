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
  SMS_PROVIDER: string
  EMAIL_PROVIDER: string
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
