// Over 300 lines on purpose: pushes to every CRM share linkedClient(), push() and consume().
/**
 * Pushing texts to the CRM (seed 003 crm-sync): which clients are pushed, each CRM's note shape,
 * retries with backoff and Retry-After through the events consumer, and the whole path from a
 * sent or received SMS through the real queue. CRM HTTP is stubbed at the fetch boundary.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult, runInDurableObject } from 'cloudflare:test'
import { drizzle } from 'drizzle-orm/durable-sqlite'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { pushesForSent, pushTargets } from '../durable-objects/org/integrations/push-targets'
import * as schema from '../durable-objects/org/schema'
import { retryDelaySeconds } from '../src/integrations/retry'
import { orgStub } from '../src/organizations'
import { handleEventBatch } from '../src/queues/events'
import type { CrmPushMessage, EventMessage } from '../src/queues/messages'
import { api, createClient, unique, type TestOrg } from './helpers/factories'
import {
  connectJobber,
  JOBBER_GRAPHQL,
  json,
  orgSql,
  signedInOwner,
  stubFetch,
  syncLogOf,
  type Call,
} from './helpers/integrations'
import { bookJob, decideAt, deliver, messagesOf, twilioPost } from './helpers/messaging'
import { connectionsOf } from '../src/integrations/remote'

afterEach(() => vi.restoreAllMocks())

const JOBBER_CLIENT = 'Z2lkOi8vSm9iYmVyL0NsaWVudC80Mg=='
const noteOk = () => json({ data: { clientCreateNote: { clientNote: { id: 'note-1' }, userErrors: [] } } })
const isNote = (call: Call) => call.url === JOBBER_GRAPHQL && call.body.includes('clientCreateNote')

/** A business connected to Jobber with a client that came from Jobber (no quiet hours, so reminders go out at once). */
async function linkedClient() {
  const { org, staff, csrf } = await signedInOwner()
  await api(org, 'PATCH', '/api/v1/organization', { quiet_hours: { start: '00:00', end: '00:00' } })
  const connectionId = await connectJobber(staff, csrf, org)
  const phone = `+1415555${String(1000 + Math.floor(Math.random() * 8999))}`
  const client = await createClient(org, {
    first_name: 'Casey',
    phone,
    source: 'jobber',
    external_id: JOBBER_CLIENT,
    address: { address1: '1 Main St', city: 'Oakland', state: 'CA', postal: '94607' },
  })
  return { org, connectionId, client, phone }
}

function push(
  org: TestOrg,
  connectionId: string,
  orgClientId: string,
  overrides: Partial<CrmPushMessage> = {},
): CrmPushMessage {
  return {
    type: 'crm_push',
    organization_id: org.organizationId,
    connection_id: connectionId,
    provider: 'jobber',
    org_client_id: orgClientId,
    external_client_id: JOBBER_CLIENT,
    direction: 'outbound',
    body: 'See you tomorrow at 9!',
    at: '2030-06-09T19:00:30.000Z',
    message_id: `msg-${unique()}`,
    ...overrides,
  }
}

/** Hands one push to the events consumer as delivery number `attempts`; returns what it acked, and the delay of each retry. */
async function consume(message: CrmPushMessage, attempts: number) {
  const id = `push-${attempts}-${unique()}`
  const batch = createMessageBatch<EventMessage>('homebase-events', [
    { id, timestamp: new Date(), attempts, body: message },
  ])
  const retry = vi.spyOn(batch.messages[0]!, 'retry')
  const ctx = createExecutionContext()
  await handleEventBatch(batch, env)
  const result = await getQueueResult(batch, ctx)
  return { id, acked: result.explicitAcks, retries: retry.mock.calls.map(([options]) => options?.delaySeconds) }
}

const pushRows = async (org: TestOrg, connectionId: string) =>
  (await syncLogOf(org, connectionId)).filter((r) => r.step === 'push').reverse()

describe('crm push through the events consumer', () => {
  it('retries a failed push after 10 s, then succeeds: two sync-log rows', async () => {
    const { org, connectionId, client } = await linkedClient()
    const replies = [new Response('{"message":"internal error"}', { status: 500 }), noteOk()]
    const stub = stubFetch((call) => (isNote(call) ? replies.shift() : undefined))
    const message = push(org, connectionId, client.org_client_id)

    const first = await consume(message, 1)
    expect(first.retries).toEqual([10])
    expect(first.acked).toEqual([])
    const second = await consume(message, 2)
    expect(second.acked).toEqual([second.id])
    expect(second.retries).toEqual([])

    const rows = await pushRows(org, connectionId)
    expect(rows.map((r) => [r.status, r.attempt])).toEqual([
      ['retry', 1],
      ['ok', 2],
    ])
    expect(rows[0]!.detail).toContain('HTTP 500')
    expect(rows[1]).toMatchObject({
      externalId: JOBBER_CLIENT,
      orgClientId: client.org_client_id,
      eventKey: message.message_id,
    })
    expect(
      (await connectionsOf(orgStub(env, org.organizationId)).getConnection(connectionId))!.last_sync_at,
    ).not.toBeNull()

    const note = stub.calls.filter(isNote)[1]!
    expect(note.headers.get('authorization')).toBe('Bearer jobber-access-1')
    const sent = JSON.parse(note.body) as { variables: { clientId: string; input: { message: string } } }
    expect(sent.variables.clientId).toBe(JOBBER_CLIENT)
    expect(sent.variables.input.message).toContain('See you tomorrow at 9!')
  })

  it('honours 429 Retry-After in seconds', async () => {
    const { org, connectionId, client } = await linkedClient()
    stubFetch((call) =>
      isNote(call) ? new Response('slow down', { status: 429, headers: { 'retry-after': '120' } }) : undefined,
    )
    const { retries } = await consume(push(org, connectionId, client.org_client_id), 1)
    expect(retries).toEqual([120])
    expect((await pushRows(org, connectionId))[0]!.detail).toContain('HTTP 429')
  })

  it('retries a Jobber THROTTLED answer, and stops after the sixth attempt', async () => {
    const { org, connectionId, client } = await linkedClient()
    stubFetch((call) =>
      isNote(call) ? json({ errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }] }) : undefined,
    )
    const message = push(org, connectionId, client.org_client_id)
    expect((await consume(message, 3)).retries).toEqual([40])
    const last = await consume(message, 6)
    expect(last.retries).toEqual([])
    expect(last.acked).toEqual([last.id])
    const rows = await pushRows(org, connectionId)
    expect(rows.map((r) => r.status)).toEqual(['retry', 'error'])
    expect(rows[1]!.detail).toContain('gave up after 6 attempts')
  })

  it('does not retry a push the CRM refuses', async () => {
    const { org, connectionId, client } = await linkedClient()
    stubFetch((call) =>
      isNote(call)
        ? json({
            data: {
              clientCreateNote: { clientNote: null, userErrors: [{ message: 'Client not found', path: ['clientId'] }] },
            },
          })
        : undefined,
    )
    const { id, acked } = await consume(push(org, connectionId, client.org_client_id), 1)
    expect(acked).toEqual([id])
    expect(await pushRows(org, connectionId)).toMatchObject([
      { status: 'error', detail: expect.stringContaining('Client not found') },
    ])
  })

  it('logs an error without calling the CRM when the connection has no usable token', async () => {
    const { org, connectionId, client } = await linkedClient()
    await orgSql(org, "update connections set status = 'token_expired' where id = ?", connectionId)
    const stub = stubFetch()
    const { id, acked } = await consume(push(org, connectionId, client.org_client_id), 1)
    expect(acked).toEqual([id])
    expect(stub.calls).toHaveLength(0)
    expect((await pushRows(org, connectionId))[0]).toMatchObject({
      status: 'error',
      detail: expect.stringContaining('reconnect'),
    })
  })
})

describe('the note each CRM gets', () => {
  it('Housecall Pro: a customer note over REST with the OAuth token', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const stub = stubFetch((call) => {
      if (call.url === 'https://api.housecallpro.com/oauth/token')
        return json({ access_token: 'hcp-access', refresh_token: 'hcp-refresh', expires_in: 7200 })
      if (call.url === 'https://api.housecallpro.com/company') return json({ id: 'co_9', name: 'Sparkle HCP' })
      if (call.url === 'https://api.housecallpro.com/customers/cus_7/notes') return json({ id: 'note_1' }, 201)
      return undefined
    })
    const authorize = new URL(
      (await staff.post('/app/integrations/housecallpro/connect', { _csrf: csrf })).headers.get('location')!,
    )
    await staff.get(`/app/integrations/oauth/callback?code=c&state=${authorize.searchParams.get('state')}`)
    const [connection] = await connectionsOf(orgStub(env, org.organizationId)).listConnections()
    expect(connection).toMatchObject({ status: 'connected', account_id: 'co_9' })
    const client = await createClient(org, {
      first_name: 'Hal',
      phone: `+1720555${String(1000 + Math.floor(Math.random() * 8999))}`,
    })
    const { retries } = await consume(
      push(org, connection!.id, client.org_client_id, {
        provider: 'housecallpro',
        external_client_id: 'cus_7',
        direction: 'inbound',
        body: 'Running late?',
      }),
      1,
    )
    expect(retries).toEqual([])
    const note = stub.to('https://api.housecallpro.com/customers/cus_7/notes')[0]!
    expect(note.method).toBe('POST')
    expect(note.headers.get('authorization')).toBe('Bearer hcp-access')
    expect(JSON.parse(note.body).content).toMatch(/^Text received in HomeBase[\s\S]*Running late\?$/)
  })

  it('ServiceTitan: a CRM v2 customer note in the tenant, with the app key', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const stub = stubFetch((call) => {
      if (call.url === 'https://auth.servicetitan.io/connect/token')
        return json({ access_token: 'st-access', expires_in: 900 })
      if (call.url === 'https://api.servicetitan.io/crm/v2/tenant/5150/customers/9001/notes')
        return json({ text: 'ok' })
      return undefined
    })
    await staff.post('/app/integrations/servicetitan/connect', { _csrf: csrf, tenant_id: '5150' })
    const [connection] = await connectionsOf(orgStub(env, org.organizationId)).listConnections()
    const client = await createClient(org, {
      first_name: 'Sol',
      phone: `+1720555${String(1000 + Math.floor(Math.random() * 8999))}`,
    })
    await consume(
      push(org, connection!.id, client.org_client_id, { provider: 'servicetitan', external_client_id: '9001' }),
      1,
    )
    const note = stub.to('https://api.servicetitan.io/crm/v2/tenant/5150/customers/9001/notes')[0]!
    expect(note.headers.get('st-app-key')).toBe('st-app-key')
    expect(JSON.parse(note.body)).toMatchObject({
      text: expect.stringContaining('See you tomorrow at 9!'),
      pinToTop: false,
    })
    expect((await pushRows(org, connection!.id))[0]).toMatchObject({ status: 'ok' })
  })
})

describe('which texts are pushed', () => {
  it('pushes a sent SMS and a received one for a linked client through the real queue', async () => {
    const { org, connectionId, client, phone } = await linkedClient()
    const stub = stubFetch((call) => (isNote(call) ? noteOk() : undefined))
    await bookJob(org, client.org_client_id, '2030-06-10T19:00:00Z')
    await decideAt(org, new Date('2030-06-09T19:00:30Z'))
    const sms = (await messagesOf(org)).find((m) => m.channel === 'sms')!
    await deliver(org, [sms.id])
    await vi.waitFor(async () => expect(await pushRows(org, connectionId)).toHaveLength(1), {
      timeout: 8000,
      interval: 200,
    })

    await twilioPost('/webhooks/twilio/sms', {
      From: phone,
      To: env.TWILIO_FROM_NUMBER!,
      Body: 'Can you come at 3 instead?',
      MessageSid: `SM${crypto.randomUUID().replace(/-/g, '')}`,
      AccountSid: env.TWILIO_ACCOUNT_SID!,
    })
    await vi.waitFor(async () => expect(await pushRows(org, connectionId)).toHaveLength(2), {
      timeout: 8000,
      interval: 200,
    })

    const messages = stub.calls
      .filter(isNote)
      .map((c) => (JSON.parse(c.body) as { variables: { clientId: string; input: { message: string } } }).variables)
    expect(messages.every((v) => v.clientId === JOBBER_CLIENT)).toBe(true)
    expect(messages.map((v) => v.input.message.split(' (')[0]).sort()).toEqual([
      'Text received in HomeBase',
      'Text sent by HomeBase',
    ])
    expect(messages.find((v) => v.input.message.startsWith('Text sent'))!.input.message).toContain(sms.body)
    expect((await pushRows(org, connectionId)).map((r) => [r.status, r.topic])).toEqual(
      expect.arrayContaining([
        ['ok', 'sms_outbound'],
        ['ok', 'sms_inbound'],
      ]),
    )
  })

  it('skips a client with no CRM customer, and finds one through a contact mapping', async () => {
    const { org, connectionId } = await linkedClient()
    const plain = await createClient(org, {
      first_name: 'Pat',
      phone: `+1720555${String(1000 + Math.floor(Math.random() * 8999))}`,
    })
    const mapped = await createClient(org, {
      first_name: 'Max',
      phone: `+1720555${String(1000 + Math.floor(Math.random() * 8999))}`,
    })
    await orgSql(
      org,
      "insert into external_mappings (provider, entity, external_id, local_id, connection_id) values ('jobber', 'client', 'jobber-client-9', ?, ?)",
      mapped.org_client_id,
      connectionId,
    )
    const targets = await runInDurableObject(orgStub(env, org.organizationId), (_o, state) => {
      const db = drizzle(state.storage, { schema })
      return { plain: pushTargets(db, plain.org_client_id), mapped: pushTargets(db, mapped.org_client_id) }
    })
    expect(targets.plain).toEqual([])
    expect(targets.mapped).toEqual([{ connectionId, provider: 'jobber', externalClientId: 'jobber-client-9' }])

    const stub = stubFetch((call) => (isNote(call) ? noteOk() : undefined))
    await bookJob(org, plain.org_client_id, '2030-06-10T19:00:00Z')
    await bookJob(org, mapped.org_client_id, '2030-06-10T21:00:00Z')
    await decideAt(org, new Date('2030-06-09T21:00:30Z'))
    const sms = (await messagesOf(org)).filter((m) => m.channel === 'sms')
    expect(sms).toHaveLength(2)
    // What each delivery hands to the events queue: a note for the mapped client's text, nothing for the other.
    const queued = await runInDurableObject(orgStub(env, org.organizationId), (_o, state) => {
      const db = drizzle(state.storage, { schema })
      return sms.map((m) => pushesForSent(db, m.id).map((n) => n.org_client_id))
    })
    expect(queued.flat()).toEqual([mapped.org_client_id])
    await deliver(
      org,
      sms.map((m) => m.id),
    )
    await vi.waitFor(async () => expect(await pushRows(org, connectionId)).toHaveLength(1), {
      timeout: 8000,
      interval: 200,
    })
    expect(
      stub.calls
        .filter(isNote)
        .map((c) => (JSON.parse(c.body) as { variables: { clientId: string } }).variables.clientId),
    ).toEqual(['jobber-client-9'])
    expect((await pushRows(org, connectionId))[0]!.orgClientId).toBe(mapped.org_client_id)
  })
})

describe('retry delays', () => {
  it('double from 10 s, cap at an hour, and follow Retry-After as seconds or an HTTP date', () => {
    const now = new Date('2030-01-01T00:00:00Z')
    expect([1, 2, 3, 4, 5].map((n) => retryDelaySeconds(n, null, now))).toEqual([10, 20, 40, 80, 160])
    expect(retryDelaySeconds(12, null, now)).toBe(3600)
    expect(retryDelaySeconds(1, '120', now)).toBe(120)
    expect(retryDelaySeconds(1, 'Tue, 01 Jan 2030 00:01:30 GMT', now)).toBe(90)
    expect(retryDelaySeconds(1, '999999', now)).toBe(12 * 3600)
  })
})
