/**
 * Helpers for the assistant's tests: a stand-in for the Workers AI binding (only its answer is
 * made up), the organization's object reached directly for what the sales routes do not make yet
 * (leads, estimates, activities at a given time), and the stored interactions.
 */
import { env, runInDurableObject } from 'cloudflare:test'
import { expect } from 'vitest'
import type { OrgHost } from '../../durable-objects/org/host'
import type { OrgObject } from '../../durable-objects/org/org-object'
import { activities, estimates, leads } from '../../durable-objects/org/schema'
import { orgStub } from '../../src/organizations'
import { api, createClient, createOrg, type TestOrg, unique } from './factories'
import { twilioPost } from './messaging'

export const randomPhone = () => `+1415555${String(1000 + Math.floor(Math.random() * 8999))}`

/** A business in Los Angeles (Sparkle Cleaning) with one client, Ana Ruiz, who has a phone and an email. */
export async function withAna(extra: Record<string, unknown> = {}) {
  const org = await createOrg({ timezone: 'America/Los_Angeles' })
  const phone = randomPhone()
  const email = `ana-${unique()}@example.com`
  const client = await createClient(org, { first_name: 'Ana', last_name: 'Ruiz', phone, email, ...extra })
  return { org, id: client.org_client_id, phone, email }
}

/** A text from `from` to the platform number, through Twilio's signed webhook. */
export function textIn(from: string, body: string) {
  return twilioPost('/webhooks/twilio/sms', {
    From: from,
    To: env.TWILIO_FROM_NUMBER!,
    Body: body,
    MessageSid: `SM${crypto.randomUUID().replace(/-/g, '')}`,
    AccountSid: env.TWILIO_ACCOUNT_SID!,
  })
}

/** An open invoice of `cents` due on `due` (YYYY-MM-DD); returns its number. */
export async function openInvoice(org: TestOrg, id: string, cents: number, due: string): Promise<number> {
  const res = await api(org, 'POST', '/api/v1/invoices', {
    org_client_id: id,
    total_cents: cents,
    due_date: due,
    status: 'open',
  })
  expect(res.status).toBe(201)
  return (await res.json<{ invoice: { number: number } }>()).invoice.number
}

/** One call the stand-in binding received. */
export type AiCall = {
  model: string
  inputs: { messages: Array<{ role: string; content: string }> } & Record<string, unknown>
}

/**
 * Gives the Worker and every ORG object an `AI` binding that answers like Workers AI's `run()`
 * (`{response}`), with `answer` deciding the text; returns the calls it received. Test-only: the
 * binding is set on the test run's `env`, which the objects share, and `dropAi()` takes it away.
 */
export function stubAi(answer: (call: AiCall) => unknown): AiCall[] {
  const calls: AiCall[] = []
  ;(env as { AI?: unknown }).AI = {
    run: async (model: string, inputs: AiCall['inputs']) => {
      const call = { model, inputs }
      calls.push(call)
      return answer(call)
    },
  }
  return calls
}

/** Back to no binding: the built-in assistant answers. */
export function dropAi(): void {
  delete (env as { AI?: unknown }).AI
}

/** Runs `fn` with the organization's object's host, as only a test reaches it. */
export function withHost<T>(org: TestOrg, fn: (host: OrgHost) => T | Promise<T>): Promise<T> {
  return runInDurableObject(orgStub(env, org.organizationId), (o) => fn((o as OrgObject)['host']))
}

let estimateNumber = 5000

/** An estimate row of a client or lead, as the estimates module would keep it once sent. */
export async function addEstimate(
  org: TestOrg,
  e: { org_client_id?: string; lead_id?: string; total_cents: number; status?: 'draft' | 'sent'; sent_at?: string },
): Promise<number> {
  const number = estimateNumber++
  await withHost(org, (host) =>
    host.db
      .insert(estimates)
      .values({
        id: crypto.randomUUID(),
        number,
        orgClientId: e.org_client_id ?? null,
        leadId: e.lead_id ?? null,
        status: e.status ?? 'sent',
        subtotalCents: e.total_cents,
        totalCents: e.total_cents,
        sentAt: e.status === 'draft' ? null : (e.sent_at ?? new Date().toISOString()),
      })
      .run(),
  )
  return number
}

/** A lead row with the given fields (status New unless told). */
export async function addLead(
  org: TestOrg,
  l: Partial<typeof leads.$inferInsert> & { firstName: string },
): Promise<string> {
  const id = crypto.randomUUID()
  await withHost(org, (host) =>
    host.db
      .insert(leads)
      .values({ id, statusId: 'ls_new', ...l })
      .run(),
  )
  return id
}

/** A logged call, note, meeting, email or text on a lead or client, at a given time. */
export async function addActivity(
  org: TestOrg,
  a: {
    lead_id?: string
    org_client_id?: string
    type: string
    direction?: 'inbound' | 'outbound'
    summary: string
    at: string
  },
): Promise<void> {
  await withHost(org, (host) =>
    host.db
      .insert(activities)
      .values({
        id: crypto.randomUUID(),
        leadId: a.lead_id ?? null,
        orgClientId: a.org_client_id ?? null,
        type: a.type,
        direction: a.direction ?? null,
        summary: a.summary,
        occurredAt: a.at,
      })
      .run(),
  )
}

export type Interaction = {
  id: string
  kind: string
  model: string
  prompt: string
  response: string
  created_at: string
  subject_type: string
  subject_id: string
}

/** The organization's stored interactions through the API, newest first. */
export async function interactionsOf(org: TestOrg, query = ''): Promise<Interaction[]> {
  const res = await api(org, 'GET', `/api/v1/ai-interactions${query}`)
  if (res.status !== 200) throw new Error(`ai-interactions: ${res.status} ${await res.text()}`)
  return (await res.json<{ items: Interaction[] }>()).items
}

export type Brief = { summary: string; next_action: string; priority: string; model: string; interaction_id: string }

/** Asks for the brief of a client or lead. */
export function brief(org: TestOrg | null, subject: 'clients' | 'leads', id: string) {
  return api(org, 'POST', `/api/v1/${subject}/${id}/brief`)
}

/** The brief of a client or lead, which must answer 200. */
export async function briefOf(org: TestOrg, subject: 'clients' | 'leads', id: string): Promise<Brief> {
  const res = await brief(org, subject, id)
  expect(res.status).toBe(200)
  return res.json<Brief>()
}
