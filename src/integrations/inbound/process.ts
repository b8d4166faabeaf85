/**
 * Processing a stored CRM webhook from the `events` queue: the provider's mapper turns the
 * receipt (and what it fetches, with the connection's token) into canonical changes, each is
 * applied in its own transaction, and every step lands in the sync log. A failure marks the
 * receipt failed and throws so the queue retries, unless retrying cannot help.
 */
import type { ChangeContext } from '../../../durable-objects/org/integrations/apply-mappings'
import type { OrgObject } from '../../../durable-objects/org/org-object'
import { unwrap } from '../../../durable-objects/org/result'
import { PROVIDERS } from '../../../durable-objects/org/schema'
import { peopleDb } from '../../db'
import type { Env } from '../../env'
import { AppError } from '../../errors'
import { getOrganization, orgStub, type Organization } from '../../organizations'
import type { CrmWebhookMessage } from '../../queues/messages'
import { endpointsFor, JOBBER_GRAPHQL_VERSION } from '../endpoints'
import { jsonOf } from '../provider-api'
import { RetryLater, retryDelaySeconds } from '../retry'
import { obj, PermanentError, type CanonicalChange, type CanonicalContact, type ProviderApi } from './canonical'
import { resolveClient } from './contacts'
import { housecallProChanges } from './housecallpro'
import { jobberChanges, parseJobberEvent } from './jobber'
import { quickBooksChanges, quickBooksEntities } from './quickbooks'
import { serviceTitanChanges, serviceTitanEvent } from './servicetitan'
import { connectFlowOf, connectionsOf, integrationsOf } from '../remote'

type Org = DurableObjectStub<OrgObject>

/** Processes one receipt; a processed or ignored one (a redelivered message) is left alone. */
export async function processCrmWebhook(env: Env, message: CrmWebhookMessage, attempts = 1): Promise<void> {
  const org = orgStub(env, message.organization_id)
  // Both at once: a redelivered message (the only kind that finds its receipt done) is rare.
  const [receipt, organization] = await Promise.all([
    integrationsOf(org).webhookReceipt(message.receipt_id),
    getOrganization(peopleDb(env.PEOPLE), message.organization_id),
  ])
  if (!receipt || receipt.status === 'processed' || receipt.status === 'ignored') return
  const provider = PROVIDERS.find((p) => p === receipt.provider)
  if (!provider || !receipt.connectionId || !organization)
    return org.finishReceipt(receipt.id, 'ignored', 'not a CRM delivery of a known organization')
  const ctx: ChangeContext = {
    provider,
    connectionId: receipt.connectionId,
    eventKey: receipt.eventKey,
    topic: receipt.topic,
  }
  try {
    const changes = await changesOf(env, org, ctx, receipt.body, attempts)
    if (changes.length === 0) {
      await log(org, ctx, {
        step: 'apply',
        status: 'skipped',
        attempt: attempts,
        detail: `nothing to apply for ${ctx.topic ?? 'this event'}`,
      })
      return org.finishReceipt(receipt.id, 'ignored', 'nothing to apply')
    }
    for (const change of changes) await applyChange(env, org, organization, ctx, change)
    await org.finishReceipt(receipt.id, 'processed')
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    const permanent = error instanceof PermanentError || (error instanceof AppError && error.status < 500)
    await log(org, ctx, { step: 'process', status: permanent ? 'error' : 'retry', attempt: attempts, detail })
    await org.finishReceipt(receipt.id, 'failed', detail)
    if (!permanent) throw error
  }
}

/** The receipt's canonical changes, from the provider's mapper. */
async function changesOf(
  env: Env,
  org: Org,
  ctx: ChangeContext,
  body: string,
  attempts: number,
): Promise<CanonicalChange[]> {
  const api = providerApi(env, org, ctx, attempts)
  switch (ctx.provider) {
    case 'jobber': {
      const event = parseJobberEvent(body)
      if (!event) throw new PermanentError('not a Jobber webhook payload')
      return jobberChanges(event, api, { url: endpointsFor(env, 'jobber').graphql!, version: JOBBER_GRAPHQL_VERSION })
    }
    case 'quickbooks': {
      const base = endpointsFor(env, 'quickbooks').api
      return quickBooksChanges(quickBooksEntities(JSON.parse(body)), api, (realm) =>
        base.replace('{realm}', encodeURIComponent(realm)),
      )
    }
    case 'housecallpro':
      return housecallProChanges(obj(JSON.parse(body)))
    case 'servicetitan': {
      const event = serviceTitanEvent(body)
      if (!event) throw new PermanentError('not a ServiceTitan webhook payload')
      const tenant = (await connectionsOf(org).connectionSettings(ctx.connectionId))?.tenant_id
      const base = endpointsFor(env, 'servicetitan').api
      return serviceTitanChanges(event.type, event.body, api, (module) => {
        if (!tenant) throw new PermanentError('the ServiceTitan connection has no tenant id to fetch with')
        return `${base}/${module}/v2/tenant/${encodeURIComponent(tenant)}`
      })
    }
  }
}

/** Applies one change: the client resolved first (registry, then the object), then the job, invoice or payment. */
async function applyChange(
  env: Env,
  org: Org,
  organization: Organization,
  ctx: ChangeContext,
  change: CanonicalChange,
): Promise<void> {
  const client = async (contact: CanonicalContact | null) =>
    contact ? resolveClient(env, org, organization, ctx, contact, 'seen') : null
  switch (change.kind) {
    case 'client':
      await resolveClient(env, org, organization, ctx, change.client, change.op)
      return
    case 'job':
      unwrap(await org.applyCrmJob(ctx, await client(change.client), change.job))
      return
    case 'invoice':
      unwrap(await integrationsOf(org).applyCrmInvoice(ctx, await client(change.client), change.invoice))
      return
    case 'payment':
      unwrap(await integrationsOf(org).applyCrmPayment(ctx, change.payment))
      return
    case 'disconnect':
      unwrap(await connectFlowOf(org).disconnectConnection(ctx.connectionId, change.reason))
      return
  }
}

/**
 * Requests to the provider with the connection's token (asked for once, on the first request):
 * each logged as a `fetch` step; 404 is final, 429 waits as long as the provider asks.
 */
function providerApi(env: Env, org: Org, ctx: ChangeContext, attempts: number): ProviderApi {
  let token: Promise<string | null> | undefined
  return async (label, url, init = {}) => {
    token ??= connectionsOf(org).accessToken(ctx.connectionId)
    const bearer = await token
    if (!bearer) {
      await log(org, ctx, {
        step: 'fetch',
        status: 'error',
        attempt: attempts,
        detail: `${label}: the connection has no access token`,
      })
      throw new PermanentError(`no access token to fetch ${label}: connect ${ctx.provider} with OAuth`)
    }
    const headers = new Headers(init.headers)
    headers.set('authorization', `Bearer ${bearer}`)
    if (ctx.provider === 'servicetitan' && env.SERVICETITAN_APP_KEY) headers.set('ST-App-Key', env.SERVICETITAN_APP_KEY)
    const res = await fetch(url, { ...init, headers }).catch(async (error: unknown) => {
      await log(org, ctx, {
        step: 'fetch',
        status: 'retry',
        attempt: attempts,
        detail: `${label}: ${error instanceof Error ? error.message : String(error)}`,
      })
      throw error
    })
    if (res.ok) {
      const body = await jsonOf(res)
      await log(org, ctx, { step: 'fetch', status: 'ok', attempt: attempts, detail: label })
      return body
    }
    const detail = `${label}: HTTP ${res.status}`
    const gone = res.status === 404 || res.status === 410
    await log(org, ctx, { step: 'fetch', status: gone ? 'error' : 'retry', attempt: attempts, detail })
    if (gone) throw new PermanentError(detail)
    if (res.status === 429) throw new RetryLater(retryDelaySeconds(attempts, res.headers.get('retry-after')), detail)
    throw new Error(detail)
  }
}

function log(
  org: Org,
  ctx: ChangeContext,
  entry: { step: string; status: 'ok' | 'error' | 'skipped' | 'retry'; attempt: number; detail: string },
): Promise<void> {
  return integrationsOf(org).logInbound({
    connectionId: ctx.connectionId,
    provider: ctx.provider,
    direction: 'inbound',
    eventKey: ctx.eventKey,
    topic: ctx.topic,
    ...entry,
  })
}
