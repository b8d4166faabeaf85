/** Businesses with known figures for the console's tests: sign-ins, jobs, messages and subscriptions written where the app keeps them. */
import { env, runInDurableObject } from 'cloudflare:test'
import type { OrgHost } from '../../durable-objects/org/host'
import type { OrgObject } from '../../durable-objects/org/org-object'
import { events, jobs } from '../../durable-objects/org/schema'
import { orgStub } from '../../src/organizations'
import { createClient, createOrg, type TestOrg, unique } from './factories'

export const DAY_MS = 86_400_000

type JobSpec = { daysAgo: number; status?: 'scheduled' | 'in_progress' | 'completed' | 'cancelled' | 'blocked' }

export type BusinessSpec = {
  name: string
  /** Days since the owner last signed in; null: never. */
  signedInDaysAgo: number | null
  /** Days since the business signed up (default: it signed up now). */
  signedUpDaysAgo?: number
  clients?: number
  /** Visits by how many days ago they start (negative: to come). */
  jobs?: JobSpec[]
  /** Messages sent or received, by how many days ago. */
  messages?: number[]
  subscription?: { planId: string; status: string; mrrCents: number; periodEndDaysAhead?: number }
  /** The subscription's history, by how many days ago each change came. */
  history?: Array<{ daysAgo: number; planId: string | null; status: string; mrrCents: number }>
}

/** Runs `fn` inside the business's ORG object with its host (database, clock). */
export function inOrg<T>(org: TestOrg, fn: (host: OrgHost) => T | Promise<T>): Promise<T> {
  return runInDurableObject(orgStub(env, org.organizationId), (instance) => fn((instance as OrgObject)['host']))
}

/** Signs a business up and writes its figures relative to `now`; returns it with its first client's id. */
export async function seedBusiness(spec: BusinessSpec, now: Date): Promise<TestOrg & { clientIds: string[] }> {
  const at = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString()
  const org = await createOrg({ organization_name: spec.name })
  const d1 = env.PEOPLE
  await d1
    .prepare('update accounts set last_sign_in_at = ? where id = ?')
    .bind(spec.signedInDaysAgo === null ? null : at(spec.signedInDaysAgo), org.userId)
    .run()
  if (spec.signedUpDaysAgo !== undefined)
    await d1
      .prepare('update organizations set created_at = ? where id = ?')
      .bind(at(spec.signedUpDaysAgo), org.organizationId)
      .run()
  const clientIds: string[] = []
  const wanted = Math.max(spec.clients ?? 0, spec.jobs?.length || spec.messages?.length ? 1 : 0)
  for (let i = 0; i < wanted; i++)
    clientIds.push(
      (await createClient(org, { first_name: `Client${i}`, email: `c${i}-${unique()}@example.com` })).org_client_id,
    )
  if (spec.jobs?.length || spec.messages?.length)
    await inOrg(org, (host) => {
      for (const job of spec.jobs ?? [])
        host.db
          .insert(jobs)
          .values({
            id: crypto.randomUUID(),
            orgClientId: clientIds[0]!,
            startAt: at(job.daysAgo),
            status: job.status ?? 'completed',
          })
          .run()
      for (const days of spec.messages ?? [])
        host.db
          .insert(events)
          .values({
            id: crypto.randomUUID(),
            type: 'message',
            orgClientId: clientIds[0]!,
            data: { channel: 'sms', direction: 'inbound' },
            createdAt: at(days),
          })
          .run()
    })
  if (spec.subscription) {
    const s = spec.subscription
    await d1
      .prepare(
        'insert into subscriptions (organization_id, stripe_customer_id, stripe_subscription_id, plan_id, status, mrr_cents, current_period_end) values (?, ?, ?, ?, ?, ?, ?)',
      )
      .bind(
        org.organizationId,
        `cus_${unique()}`,
        `sub_${unique()}`,
        s.planId,
        s.status,
        s.mrrCents,
        s.periodEndDaysAhead === undefined ? null : at(-s.periodEndDaysAhead),
      )
      .run()
  }
  for (const h of spec.history ?? [])
    await d1
      .prepare(
        'insert into subscription_history (id, organization_id, plan_id, status, mrr_cents, stripe_event_id, at) values (?, ?, ?, ?, ?, ?, ?)',
      )
      .bind(crypto.randomUUID(), org.organizationId, h.planId, h.status, h.mrrCents, `evt_${unique()}`, at(h.daysAgo))
      .run()
  return { ...org, clientIds }
}

/** Waits until `check` holds (the queue's consumer ran), polling; fails after `ms`. */
export async function until(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting for the queue')
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** A business's org_metrics row as D1 holds it, or null. */
export function orgMetricsOf(organizationId: string) {
  return env.PEOPLE.prepare('select * from org_metrics where organization_id = ?').bind(organizationId).first<{
    clients: number
    jobs_30d: number
    messages_30d: number
    sms_this_period: number
    last_sign_in_at: string | null
    engagement: string
    mrr_cents: number
    ltv_cents: number
    total_spent_cents: number
    computed_at: string
  }>()
}
