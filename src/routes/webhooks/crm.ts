/**
 * Webhooks from Jobber, QuickBooks Online, Housecall Pro and ServiceTitan. Each is verified
 * on the raw body bytes with the provider's own scheme before anything is stored, stored once
 * in the organization's object (a replay is answered `duplicate: true` and does nothing), and
 * queued; the answer goes back at once and the work happens from the `events` queue.
 */
import { Hono, type Context } from 'hono'
import type { Provider } from '../../../durable-objects/org/schema'
import type { AppEnv, Env } from '../../env'
import { AppError, invalidInput, notFound } from '../../errors'
import { housecallProTopic, isHousecallProPing } from '../../integrations/inbound/housecallpro'
import { jobberEventKey, parseJobberEvent } from '../../integrations/inbound/jobber'
import { quickBooksDeliveries } from '../../integrations/inbound/quickbooks'
import { serviceTitanEvent } from '../../integrations/inbound/servicetitan'
import {
  bodyHash,
  verifyHousecallPro,
  verifyJobber,
  verifyQuickBooks,
  verifyServiceTitan,
  type Verdict,
} from '../../integrations/signatures'
import { orgStub } from '../../organizations'
import { integrationsOf } from '../../integrations/remote'
import {
  accountTargets,
  connectionTarget,
  forgetTarget,
  type Target,
  verifiedTarget,
} from '../../integrations/target-cache'

/** One event of a delivery, as its receipt keeps it. */
type Delivery = { eventKey: string; topic: string | null; body: string }

/** What became of a delivery's events: new, received before, queued for processing. */
type Tally = { fresh: number; seen: number; queued: number }

/** Provider deliveries are small; anything bigger is refused before it is read further. */
const MAX_BODY_BYTES = 256 * 1024

async function rawBody(c: Context<AppEnv>): Promise<{ raw: Uint8Array; text: string }> {
  const raw = new Uint8Array(await c.req.arrayBuffer())
  if (raw.byteLength > MAX_BODY_BYTES) throw new AppError(413, 'too_large', 'The webhook body is too large.')
  return { raw, text: new TextDecoder().decode(raw) }
}

/** The first configured key; with none there is nothing to verify against, so the delivery is refused. */
function signingKey(...candidates: Array<string | null | undefined>): string {
  const key = candidates.find((k) => k)
  if (!key) throw new AppError(401, 'unauthorized', 'No webhook secret is configured for this connection.')
  return key
}

function requireVerified(verdict: Verdict, provider: string): void {
  if (!verdict.ok) throw new AppError(401, 'unauthorized', `Invalid ${provider} webhook signature (${verdict.reason}).`)
}

/** A delivery verified with a remembered secret that the connection's object says was replaced since. */
class SecretChanged extends AppError {
  constructor() {
    super(401, 'unauthorized', 'The webhook secret of this connection changed: sign with the new one.')
  }
}

/**
 * Stores each delivery in the target's object and queues the new ones (and any whose earlier
 * processing failed). A receipt that could not be queued is dropped again, so the provider's
 * retry is not mistaken for a replay. `secretSeal`: the connection's secret verified it (the
 * object refuses it if that secret was replaced); omitted when an app-wide secret did.
 */
async function accept(
  env: Env,
  target: Target,
  provider: Provider,
  deliveries: Delivery[],
  secretSeal?: string | null,
): Promise<Tally> {
  const org = orgStub(env, target.organizationId)
  const tally = { fresh: 0, seen: 0, queued: 0 }
  for (const d of deliveries) {
    const stored = await integrationsOf(org).receiveWebhook({
      provider,
      connectionId: target.connectionId,
      eventKey: d.eventKey,
      topic: d.topic,
      body: d.body,
      secretSeal,
    })
    if (stored.refused) {
      forgetTarget(target.connectionId)
      // Changed since this isolate remembered it: disconnected is answered as for any disconnected connection.
      throw stored.refused === 'secret_changed' ? new SecretChanged() : notFound('connection')
    }
    tally[stored.duplicate ? 'seen' : 'fresh']++
    if (stored.duplicate && !stored.retry) continue
    try {
      await env.EVENTS.send({
        type: 'crm_webhook',
        organization_id: target.organizationId,
        receipt_id: stored.receipt_id,
      })
      tally.queued++
    } catch (error) {
      if (!stored.duplicate) await integrationsOf(org).forgetReceipt(stored.receipt_id)
      throw error
    }
  }
  return tally
}

/** The answer to the provider: `duplicate` when every event of the delivery had been received before. */
function ack(tallies: Tally[]) {
  const sum = (k: keyof Tally) => tallies.reduce((n, t) => n + t[k], 0)
  return { ok: true as const, duplicate: sum('fresh') === 0 && sum('seen') > 0, queued: sum('queued') }
}

/**
 * A delivery to a connection's own URL: verified, read, stored and queued. One verified with a
 * remembered secret replaced meanwhile is verified again against a fresh read, so the old secret
 * stops working at once and the new one works at once.
 */
async function receive(
  env: Env,
  provider: Provider,
  connectionId: string,
  verify: (target: Target) => Promise<void>,
  deliveriesOf: () => Promise<Delivery[]>,
): Promise<Tally> {
  const target = await verifiedTarget(env, provider, connectionId, verify)
  const deliveries = await deliveriesOf()
  try {
    return await accept(env, target, provider, deliveries, target.secretSeal)
  } catch (error) {
    if (!(error instanceof SecretChanged)) throw error
  }
  // Forgotten by `accept`: read afresh.
  const fresh = await verifiedTarget(env, provider, connectionId, verify)
  return accept(env, fresh, provider, deliveries, fresh.secretSeal)
}

/** App-wide webhooks: a connection disconnected since it was routed takes nothing, as one no longer routed. */
function untallied(error: unknown): Tally {
  if (error instanceof AppError && error.status === 404) return { fresh: 0, seen: 0, queued: 0 }
  throw error
}

function unreadable(provider: string): AppError {
  return invalidInput([{ path: 'body', message: `is not a ${provider} webhook payload` }])
}

export const crmWebhooks = new Hono<AppEnv>()
  // Jobber: the business's own app posts to its connection's URL; ours posts app-wide, routed by accountId.
  .post('/jobber/:connectionId', async (c) => {
    const { raw, text } = await rawBody(c)
    // Read once; used only after the signature is checked.
    const event = parseJobberEvent(text)
    const verify = async (t: Target) => {
      requireVerified(
        await verifyJobber(
          raw,
          c.req.header('x-jobber-hmac-sha256') ?? null,
          signingKey(t.secret, c.env.JOBBER_CLIENT_SECRET),
        ),
        'Jobber',
      )
      // Signed with the app's secret, it may be any account's delivery: only this connection's own is taken here.
      if (!t.secret && event && event.accountId !== t.accountId)
        throw new AppError(401, 'unauthorized', "This Jobber delivery is for another account than this connection's.")
    }
    const tally = await receive(c.env, 'jobber', c.req.param('connectionId'), verify, async () => {
      if (!event) throw unreadable('Jobber')
      return [{ eventKey: await jobberEventKey(event), topic: event.topic, body: text }]
    })
    return c.json(ack([tally]))
  })
  .post('/jobber', async (c) => {
    const { raw, text } = await rawBody(c)
    requireVerified(
      await verifyJobber(raw, c.req.header('x-jobber-hmac-sha256') ?? null, signingKey(c.env.JOBBER_CLIENT_SECRET)),
      'Jobber',
    )
    const event = parseJobberEvent(text)
    if (!event) throw unreadable('Jobber')
    const targets = await accountTargets(c.env, 'jobber', event.accountId)
    // Answered 200: one stale account must not make Jobber disable the app's webhooks for everyone.
    if (targets.length === 0) return c.json({ ok: true, ignored: 'no connection for this Jobber account' })
    const delivery = { eventKey: await jobberEventKey(event), topic: event.topic, body: text }
    return c.json(ack(await Promise.all(targets.map((t) => accept(c.env, t, 'jobber', [delivery]).catch(untallied)))))
  })
  // QuickBooks: a delivery may carry several realms (legacy) or events (CloudEvents); each is its own receipt.
  .post('/quickbooks/:connectionId', async (c) => {
    const { raw, text } = await rawBody(c)
    const verify = async (t: Target) =>
      requireVerified(
        await verifyQuickBooks(
          raw,
          c.req.header('intuit-signature') ?? null,
          signingKey(t.secret, c.env.QUICKBOOKS_VERIFIER_TOKEN),
        ),
        'QuickBooks',
      )
    const tally = await receive(c.env, 'quickbooks', c.req.param('connectionId'), verify, async () => {
      const deliveries = await quickBooksDeliveries(text)
      if (!deliveries) throw unreadable('QuickBooks')
      return deliveries
    })
    return c.json(ack([tally]))
  })
  .post('/quickbooks', async (c) => {
    const { raw, text } = await rawBody(c)
    requireVerified(
      await verifyQuickBooks(
        raw,
        c.req.header('intuit-signature') ?? null,
        signingKey(c.env.QUICKBOOKS_VERIFIER_TOKEN),
      ),
      'QuickBooks',
    )
    const deliveries = await quickBooksDeliveries(text)
    if (!deliveries) throw unreadable('QuickBooks')
    const tallies: Tally[] = []
    for (const d of deliveries) {
      for (const target of await accountTargets(c.env, 'quickbooks', d.accountId))
        tallies.push(await accept(c.env, target, 'quickbooks', [d]).catch(untallied))
    }
    return c.json(ack(tallies))
  })
  // Housecall Pro: its "test webhook" ping is answered without storing anything.
  .post('/housecallpro/:connectionId', async (c) => {
    const { raw, text } = await rawBody(c)
    const connectionId = c.req.param('connectionId')
    if (isHousecallProPing(text)) {
      await connectionTarget(c.env, 'housecallpro', connectionId)
      return c.json({ ok: true, ping: true })
    }
    const headers = {
      signature: c.req.header('api-signature') ?? null,
      timestamp: c.req.header('api-timestamp') ?? null,
    }
    const verify = async (t: Target) =>
      requireVerified(await verifyHousecallPro(raw, headers, signingKey(t.secret), Date.now() / 1000), 'Housecall Pro')
    const tally = await receive(c.env, 'housecallpro', connectionId, verify, async () => {
      const topic = housecallProTopic(text)
      if (!topic) throw unreadable('Housecall Pro')
      return [{ eventKey: await bodyHash(raw), topic, body: text }]
    })
    return c.json(ack([tally]))
  })
  // ServiceTitan: header name and digest encoding come from the connection's settings.
  .post('/servicetitan/:connectionId', async (c) => {
    const { raw, text } = await rawBody(c)
    const verify = async (t: Target) =>
      requireVerified(
        await verifyServiceTitan(
          raw,
          c.req.header(t.settings.signature_header ?? 'x-servicetitan-signature') ?? null,
          signingKey(t.secret),
          t.settings.signature_encoding ?? 'base64',
        ),
        'ServiceTitan',
      )
    const tally = await receive(c.env, 'servicetitan', c.req.param('connectionId'), verify, async () => {
      const event = serviceTitanEvent(text)
      if (!event) throw unreadable('ServiceTitan')
      return [{ eventKey: event.id ?? (await bodyHash(raw)), topic: event.type, body: text }]
    })
    return c.json(ack([tally]))
  })
