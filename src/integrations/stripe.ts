/**
 * Stripe events, after /webhooks/stripe verified them: a paid Checkout session or Stripe
 * invoice carrying our metadata `{organization_id, invoice_id}` pays our invoice; the
 * `customer.subscription.*` events keep the business's own HomeBase plan in D1 (src/billing: the
 * plan its price names, MRR, history) and its object's limits. Each event is
 * received once in the organization's object; one without an organization of ours is ignored.
 * The work is one object transaction or one D1 write, so it is done before answering.
 */
import { eq, sql } from 'drizzle-orm'
import { unwrap } from '../../durable-objects/org/result'
import { peopleDb, type PeopleDb } from '../db'
import type { Env } from '../env'
import { getOrganization, orgStub } from '../organizations'
import { subscriptions } from '../people/schema'
import { arr, num, obj, str, type Json } from './inbound/canonical'
import { syncPlanLimits } from '../billing/limits'
import { recordPlanChange, subscriptionPlan } from '../billing/subscriptions'
import { integrationsOf } from './remote'

/**
 * The envelope of every Stripe event: `{id:"evt_…", type, created, data:{object}}`, and `account`
 * (`acct_…`) when a connected account's event reaches the platform's Connect endpoint.
 */
export type StripeEvent = { id: string; type: string; created: number; object: Json; account: string | null }

export type StripeAnswer = { ok: true; duplicate: boolean; recorded?: boolean; ignored?: string }

/** The event of a verified body, or null when it is not one. */
export function parseStripeEvent(text: string): StripeEvent | null {
  try {
    const body = obj(JSON.parse(text))
    const [id, type, created] = [str(body['id']), str(body['type']), num(body['created'])]
    if (!id || !type || created === null) return null
    return { id, type, created, object: obj(obj(body['data'])['object']), account: str(body['account']) }
  } catch {
    return null
  }
}

const ignored = (reason: string): StripeAnswer => ({ ok: true, duplicate: false, ignored: reason })

/** Acts on one event; `body` is kept as its receipt. */
export async function handleStripeEvent(env: Env, event: StripeEvent, body: string): Promise<StripeAnswer> {
  const o = event.object
  switch (event.type) {
    case 'checkout.session.completed':
      if (o['payment_status'] !== 'paid') return ignored('the session is not paid')
      return payInvoice(env, event, body, {
        metadata: obj(o['metadata']),
        amount: num(o['amount_total']),
        currency: str(o['currency']),
        externalId: str(o['payment_intent']) ?? str(o['id']),
      })
    case 'invoice.paid':
      return payInvoice(env, event, body, {
        metadata: obj(o['metadata']),
        amount: num(o['amount_paid']),
        currency: str(o['currency']),
        externalId: str(o['id']),
      })
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
      // HomeBase's own plans live on the platform account; a connected account's subscriptions are its own business.
      if (event.account) return ignored("a connected account's subscription")
      return keepSubscription(env, event, body)
    default:
      return ignored(`${event.type} is not used`)
  }
}

/**
 * Records the payment on the invoice the metadata names, once per Stripe object. Metadata is
 * anyone's to write, so the business's object also checks that the money went to its own
 * connected account (the event's `account`) in dollars before it counts.
 */
async function payInvoice(
  env: Env,
  event: StripeEvent,
  body: string,
  p: { metadata: Json; amount: number | null; currency: string | null; externalId: string | null },
): Promise<StripeAnswer> {
  const [organizationId, invoiceId] = [str(p.metadata['organization_id']), str(p.metadata['invoice_id'])]
  if (!organizationId || !invoiceId || p.amount === null || !p.externalId)
    return ignored('no HomeBase invoice in the metadata')
  if (!(await getOrganization(peopleDb(env.PEOPLE), organizationId))) return ignored('no such organization')
  const outcome = unwrap(
    await orgStub(env, organizationId).applyStripePayment({
      event_id: event.id,
      event_type: event.type,
      invoice_id: invoiceId,
      amount_cents: p.amount,
      currency: p.currency,
      stripe_account: event.account,
      external_id: p.externalId,
      body,
    }),
  )
  return {
    ok: true,
    duplicate: outcome.duplicate,
    recorded: outcome.recorded,
    ...(outcome.reason ? { ignored: outcome.reason } : {}),
  }
}

/** Keeps the organization's plan and status; an event older than the stored state changes nothing. */
async function keepSubscription(env: Env, event: StripeEvent, body: string): Promise<StripeAnswer> {
  const db = peopleDb(env.PEOPLE)
  const organizationId = await subscriberOf(db, event.object)
  if (!organizationId) return ignored('no HomeBase organization for this subscription')
  const org = orgStub(env, organizationId)
  const stored = await integrationsOf(org).receiveWebhook({
    provider: 'stripe',
    connectionId: null,
    eventKey: event.id,
    topic: event.type,
    body,
  })
  if (stored.duplicate && !stored.retry) return { ok: true, duplicate: true }
  try {
    const described = subscriptionRow(organizationId, event)
    const row = { ...described, ...(await subscriptionPlan(db, event.object, described.status)) }
    await db
      .insert(subscriptions)
      .values(row)
      .onConflictDoUpdate({
        target: subscriptions.organizationId,
        set: row,
        setWhere: sql`${subscriptions.updatedAt} <= ${row.updatedAt}`,
      })
      .run()
    await recordPlanChange(db, { ...row, eventId: event.id, at: row.updatedAt })
    // The object's limits follow the plan at once (from D1's row, so an older event changes nothing).
    await syncPlanLimits(env, organizationId)
    await integrationsOf(org).logInbound({
      connectionId: null,
      provider: 'stripe',
      direction: 'inbound',
      step: 'apply',
      status: 'ok',
      eventKey: event.id,
      topic: event.type,
      detail: `subscription ${row.status ?? ''} on ${row.plan ?? 'no plan'}`,
    })
    await org.finishReceipt(stored.receipt_id, 'processed')
  } catch (error) {
    await org.finishReceipt(stored.receipt_id, 'failed', error instanceof Error ? error.message : String(error))
    throw error
  }
  return { ok: true, duplicate: stored.duplicate }
}

/** The organization a subscription belongs to: by its metadata, else by the Stripe customer we stored before. */
async function subscriberOf(db: PeopleDb, sub: Json): Promise<string | null> {
  const named = str(obj(sub['metadata'])['organization_id'])
  if (named && (await getOrganization(db, named))) return named
  const customer = str(sub['customer'])
  if (!customer) return null
  return (
    (
      await db
        .select({ id: subscriptions.organizationId })
        .from(subscriptions)
        .where(eq(subscriptions.stripeCustomerId, customer))
        .get()
    )?.id ?? null
  )
}

/** The D1 row for a subscription event; `updated_at` is the event's time, so order is kept. */
function subscriptionRow(organizationId: string, event: StripeEvent) {
  const sub = event.object
  const item = obj(arr(obj(sub['items'])['data'])[0])
  const price = obj(item['price'])
  // Newer API versions moved current_period_end from the subscription onto its items.
  const periodEnd = num(item['current_period_end']) ?? num(sub['current_period_end'])
  return {
    organizationId,
    stripeCustomerId: str(sub['customer']),
    stripeSubscriptionId: str(sub['id']),
    plan: str(price['lookup_key']) ?? str(price['nickname']) ?? str(price['id']),
    status: event.type === 'customer.subscription.deleted' ? 'canceled' : str(sub['status']),
    currentPeriodEnd: periodEnd === null ? null : new Date(periodEnd * 1000).toISOString(),
    updatedAt: new Date(event.created * 1000).toISOString(),
  }
}
