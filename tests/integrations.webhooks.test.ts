/**
 * The CRM webhook routes: verified on the raw body before anything is stored, stored once per
 * event, queued for processing, answered at once without calling the provider.
 */
import { describe, expect, it } from 'vitest'
import { connectJobber, connectQuickBooks, jobberRoutes, signedInOwner, stubFetch } from './helpers/integrations'
import { api, createOrg, unique, type TestOrg } from './helpers/factories'
import {
  base64Hmac,
  captureQueue,
  connectWithSecret,
  deliver,
  housecallProHeaders,
  nowSeconds,
  receiptsOf,
  serviceTitanSignature,
} from './helpers/webhooks'

const SECRET = 'business-own-secret-123'

async function orgWith(provider: string, extra: Record<string, unknown> = {}): Promise<{ org: TestOrg; id: string }> {
  const org = await createOrg()
  return { org, id: await connectWithSecret(org, provider, SECRET, extra) }
}

const jobberBody = (topic = 'CLIENT_CREATE', itemId = `item-${unique()}`) =>
  JSON.stringify({
    data: {
      webHookEvent: { topic, appId: 'app-1', accountId: 'acct-1', itemId, occurredAt: '2026-03-02T16:31:36-06:00' },
    },
  })

describe('POST /webhooks/jobber/{connection_id}', () => {
  it('stores a signed delivery once, queues it, and answers without calling Jobber', async () => {
    const { org, id } = await orgWith('jobber')
    const queue = captureQueue()
    const http = stubFetch()
    const body = jobberBody()
    const res = await deliver(`/webhooks/jobber/${id}`, body, {
      'x-jobber-hmac-sha256': await base64Hmac(body, SECRET),
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true, duplicate: false, queued: 1 })
    expect(http.calls).toHaveLength(0)
    http.restore()
    const receipts = await receiptsOf(org)
    expect(receipts).toMatchObject([
      { provider: 'jobber', connection_id: id, topic: 'CLIENT_CREATE', status: 'received' },
    ])
    expect(receipts[0]!.event_key).toMatch(/^[0-9a-f]{64}$/)
    expect(queue.queued).toEqual([
      { type: 'crm_webhook', organization_id: org.organizationId, receipt_id: receipts[0]!.id },
    ])

    const replay = await deliver(`/webhooks/jobber/${id}`, body, {
      'x-jobber-hmac-sha256': await base64Hmac(body, SECRET),
    })
    expect(await replay.json()).toEqual({ ok: true, duplicate: true, queued: 0 })
    expect(await receiptsOf(org)).toHaveLength(1)
    expect(queue.queued).toHaveLength(1)
    const connection = await (await api(org, 'GET', `/api/v1/integrations/${id}`)).json<{
      last_event_at: string | null
    }>()
    expect(connection.last_event_at).not.toBeNull()
    queue.restore()
  })

  it('refuses a tampered body, a wrong secret and a missing header with 401 and stores nothing', async () => {
    const { org, id } = await orgWith('jobber')
    const queue = captureQueue()
    const body = jobberBody()
    const good = await base64Hmac(body, SECRET)
    const attempts = [
      deliver(`/webhooks/jobber/${id}`, body.replace('CLIENT_CREATE', 'CLIENT_UPDATE'), {
        'x-jobber-hmac-sha256': good,
      }),
      deliver(`/webhooks/jobber/${id}`, body, {
        'x-jobber-hmac-sha256': await base64Hmac(body, 'jobber_client_secret'),
      }),
      deliver(`/webhooks/jobber/${id}`, body),
    ]
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(401)
      expect((await res.json<{ error: { code: string } }>()).error.code).toBe('unauthorized')
    }
    expect(await receiptsOf(org)).toEqual([])
    expect(queue.queued).toEqual([])
    queue.restore()
  })

  it("answers 404 for an unknown, disconnected or another provider's connection and stores nothing", async () => {
    const { org, id } = await orgWith('jobber')
    const body = jobberBody()
    const headers = { 'x-jobber-hmac-sha256': await base64Hmac(body, SECRET) }
    expect((await deliver(`/webhooks/jobber/${crypto.randomUUID()}`, body, headers)).status).toBe(404)
    expect((await deliver(`/webhooks/housecallpro/${id}`, body, await housecallProHeaders(body, SECRET))).status).toBe(
      404,
    )
    expect((await api(org, 'DELETE', `/api/v1/integrations/${id}`)).status).toBe(200)
    expect((await deliver(`/webhooks/jobber/${id}`, body, headers)).status).toBe(404)
    expect(await receiptsOf(org)).toEqual([])
  })
})

describe('POST /webhooks/jobber (app-wide)', () => {
  it("verifies PROVIDERS.md's vector with the app secret and routes it by accountId", async () => {
    const { org, staff, csrf } = await signedInOwner()
    const id = await connectJobber(staff, csrf, org, [jobberRoutes({ account: { id: 'MQ==', name: 'Vector Co' } })])
    const queue = captureQueue()
    const body =
      '{"data":{"webHookEvent":{"topic":"CLIENT_CREATE","appId":"app-1","accountId":"MQ==","itemId":"MQ==","occurredAt":"2021-08-12T16:31:36-06:00"}}}'
    const res = await deliver('/webhooks/jobber', body, {
      'x-jobber-hmac-sha256': 'xT+s8I1L7AaHJFZUo91Pc8RBzxbtwS9+3iD1ZOZ2iEs=',
    })
    expect(await res.json()).toEqual({ ok: true, duplicate: false, queued: 1 })
    expect(await receiptsOf(org)).toMatchObject([{ connection_id: id, topic: 'CLIENT_CREATE' }])

    const bad = await deliver('/webhooks/jobber', body, { 'x-jobber-hmac-sha256': await base64Hmac(body, SECRET) })
    expect(bad.status).toBe(401)
    const elsewhere = body.replace('"accountId":"MQ=="', '"accountId":"nobody"')
    const unknown = await deliver('/webhooks/jobber', elsewhere, {
      'x-jobber-hmac-sha256': await base64Hmac(elsewhere, 'jobber_client_secret'),
    })
    expect(await unknown.json()).toMatchObject({ ok: true, ignored: expect.any(String) })
    expect(await receiptsOf(org)).toHaveLength(1)
    queue.restore()
  })
})

/** A business that connected QuickBooks by OAuth: Intuit named the realm, so app-wide deliveries for it are routed there. */
async function quickBooksByOAuth(realm: string): Promise<TestOrg> {
  const { org, staff, csrf } = await signedInOwner()
  await connectQuickBooks(staff, csrf, realm)
  return org
}

const connectionIds = async (org: TestOrg) =>
  (await (await api(org, 'GET', '/api/v1/integrations')).json<{ items: Array<{ id: string }> }>()).items.map(
    (c) => c.id,
  )

describe('app-wide deliveries go only where the account was proven', () => {
  it("a stranger claiming another business's Jobber account or QuickBooks realm by API receives none of its deliveries", async () => {
    const account = `acct-${unique()}`
    const { org: owner, staff, csrf } = await signedInOwner()
    const ownerConnection = await connectJobber(staff, csrf, owner, [
      jobberRoutes({ account: { id: account, name: 'Owner on Jobber' } }),
    ])
    const stranger = await createOrg()
    const claimed = await connectWithSecret(stranger, 'jobber', SECRET, { account_id: account })
    const queue = captureQueue()
    const body = JSON.stringify({
      data: {
        webHookEvent: {
          topic: 'CLIENT_UPDATE',
          appId: 'app-1',
          accountId: account,
          itemId: `item-${unique()}`,
          occurredAt: '2026-03-02T16:31:36-06:00',
        },
      },
    })
    const res = await deliver('/webhooks/jobber', body, {
      'x-jobber-hmac-sha256': await base64Hmac(body, 'jobber_client_secret'),
    })
    expect(await res.json()).toEqual({ ok: true, duplicate: false, queued: 1 })
    expect(await receiptsOf(owner)).toMatchObject([{ connection_id: ownerConnection }])
    expect(await receiptsOf(stranger)).toEqual([])
    // The claimed account stays on the stranger's connection, which still takes deliveries signed with its own secret.
    const own = jobberBody()
    expect(
      (await deliver(`/webhooks/jobber/${claimed}`, own, { 'x-jobber-hmac-sha256': await base64Hmac(own, SECRET) }))
        .status,
    ).toBe(200)
    expect(await receiptsOf(stranger)).toHaveLength(1)

    const realm = String(7_000_000 + Math.floor(Math.random() * 999_999))
    const books = await quickBooksByOAuth(realm)
    const claimer = await createOrg()
    await connectWithSecret(claimer, 'quickbooks', SECRET, { account_id: realm })
    const qbo = JSON.stringify({
      eventNotifications: [
        {
          realmId: realm,
          dataChangeEvent: {
            entities: [{ name: 'Customer', id: '5', operation: 'Update', lastUpdated: '2026-03-01T18:00:00.000Z' }],
          },
        },
      ],
    })
    const sent = await deliver('/webhooks/quickbooks', qbo, {
      'intuit-signature': await base64Hmac(qbo, 'qbo_verifier_token'),
    })
    expect(await sent.json()).toMatchObject({ ok: true, queued: 1 })
    expect(await receiptsOf(books)).toHaveLength(1)
    expect(await receiptsOf(claimer)).toEqual([])
    queue.restore()
  })
})

describe("an OAuth connection's own Jobber URL", () => {
  it("takes a delivery signed with the app's secret only for its own account", async () => {
    const account = `acct-${unique()}`
    const { org, staff, csrf } = await signedInOwner()
    const id = await connectJobber(staff, csrf, org, [
      jobberRoutes({ account: { id: account, name: 'Own on Jobber' } }),
    ])
    const queue = captureQueue()
    const signed = async (accountId: string) => {
      const body = JSON.stringify({
        data: {
          webHookEvent: {
            topic: 'CLIENT_UPDATE',
            appId: 'app-1',
            accountId,
            itemId: `item-${unique()}`,
            occurredAt: '2026-03-02T16:31:36-06:00',
          },
        },
      })
      return deliver(`/webhooks/jobber/${id}`, body, {
        'x-jobber-hmac-sha256': await base64Hmac(body, 'jobber_client_secret'),
      })
    }
    // Another account's delivery, signed by Jobber for the app, replayed to this business's URL.
    expect((await signed(`other-${unique()}`)).status).toBe(401)
    expect(await receiptsOf(org)).toEqual([])
    expect((await signed(account)).status).toBe(200)
    expect(await receiptsOf(org)).toHaveLength(1)
    queue.restore()
  })
})

describe('POST /webhooks/quickbooks', () => {
  it('verifies the legacy vector with the verifier token and routes it by realmId', async () => {
    const org = await quickBooksByOAuth('1185883450')
    const [id] = await connectionIds(org)
    const queue = captureQueue()
    const body =
      '{"eventNotifications":[{"realmId":"1185883450","dataChangeEvent":{"entities":[{"name":"Customer","id":"1","operation":"Create","lastUpdated":"2015-10-05T14:42:19-0700"}]}}]}'
    const res = await deliver('/webhooks/quickbooks', body, {
      'intuit-signature': 'RA/T6s0/i8ZebHUcq/O0hvPF+4gTzSllnC0iaJOQMbU=',
    })
    expect(await res.json()).toEqual({ ok: true, duplicate: false, queued: 1 })
    const [receipt] = await receiptsOf(org)
    expect(receipt).toMatchObject({ provider: 'quickbooks', connection_id: id, topic: 'Customer.created' })
    expect(receipt!.event_key).toMatch(/^legacy:[0-9a-f]{64}$/)
    expect(
      (await deliver('/webhooks/quickbooks', body, { 'intuit-signature': await base64Hmac(body, 'wrong') })).status,
    ).toBe(401)
    expect((await deliver('/webhooks/quickbooks', body)).status).toBe(401)
    queue.restore()
  })

  it('takes the CloudEvents array on the connection URL, one receipt per event id', async () => {
    const { org, id } = await orgWith('quickbooks', { account_id: '9341453' })
    const queue = captureQueue()
    const event = (n: number, type: string, entity: string) => ({
      specversion: '1.0',
      id: `cloud-${n}-${unique()}`,
      source: 'intuit.dsnBgbseACLLRZNxo2dfc4evmEJdxde58xeeYcZliOU=',
      type,
      datacontenttype: 'application/json',
      time: '2026-03-02T10:00:00Z',
      intuitentityid: entity,
      intuitaccountid: '9341453',
      data: {},
    })
    const events = [event(1, 'qbo.customer.created.v1', '58'), event(2, 'qbo.invoice.updated.v1', '130')]
    const body = JSON.stringify(events)
    const res = await deliver(`/webhooks/quickbooks/${id}`, body, {
      'intuit-signature': await base64Hmac(body, SECRET),
    })
    expect(await res.json()).toEqual({ ok: true, duplicate: false, queued: 2 })
    expect((await receiptsOf(org)).map((r) => [r.event_key, r.topic])).toEqual([
      [events[0]!.id, 'qbo.customer.created.v1'],
      [events[1]!.id, 'qbo.invoice.updated.v1'],
    ])

    const again = JSON.stringify([events[1], event(3, 'qbo.payment.created.v1', '77')])
    const partly = await deliver(`/webhooks/quickbooks/${id}`, again, {
      'intuit-signature': await base64Hmac(again, SECRET),
    })
    expect(await partly.json()).toEqual({ ok: true, duplicate: false, queued: 1 })
    expect(await receiptsOf(org)).toHaveLength(3)
    const tampered = body.replace('"58"', '"59"')
    expect(
      (await deliver(`/webhooks/quickbooks/${id}`, tampered, { 'intuit-signature': await base64Hmac(body, SECRET) }))
        .status,
    ).toBe(401)
    queue.restore()
  })
})

describe('POST /webhooks/housecallpro/{connection_id}', () => {
  const body = () =>
    JSON.stringify({
      event: 'job.created',
      job: { id: `job_${unique()}`, customer: { id: 'cus_1', first_name: 'Ana' } },
    })

  it('accepts a fresh signature, refuses stale, tampered and missing ones, and dedupes a replay', async () => {
    const { org, id } = await orgWith('housecallpro')
    const queue = captureQueue()
    const b = body()
    const res = await deliver(`/webhooks/housecallpro/${id}`, b, await housecallProHeaders(b, SECRET))
    expect(await res.json()).toEqual({ ok: true, duplicate: false, queued: 1 })
    expect(await receiptsOf(org)).toMatchObject([
      { provider: 'housecallpro', topic: 'job.created', status: 'received' },
    ])

    const stale = await deliver(
      `/webhooks/housecallpro/${id}`,
      body(),
      await housecallProHeaders(b, SECRET, nowSeconds() - 301),
    )
    expect(stale.status).toBe(401)
    const other = body()
    expect((await deliver(`/webhooks/housecallpro/${id}`, other, await housecallProHeaders(b, SECRET))).status).toBe(
      401,
    )
    expect(
      (await deliver(`/webhooks/housecallpro/${id}`, other, await housecallProHeaders(other, 'not-the-secret'))).status,
    ).toBe(401)
    expect((await deliver(`/webhooks/housecallpro/${id}`, other)).status).toBe(401)

    const replay = await deliver(`/webhooks/housecallpro/${id}`, b, await housecallProHeaders(b, SECRET))
    expect(await replay.json()).toEqual({ ok: true, duplicate: true, queued: 0 })
    expect(await receiptsOf(org)).toHaveLength(1)
    expect(queue.queued).toHaveLength(1)
    queue.restore()
  })

  it('answers the {"foo":"bar"} test ping with 200 and stores nothing', async () => {
    const { org, id } = await orgWith('housecallpro')
    const ping = '{"foo":"bar"}'
    const res = await deliver(`/webhooks/housecallpro/${id}`, ping, await housecallProHeaders(ping, SECRET))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true, ping: true })
    // Its signing is unconfirmed and nothing is stored for it, so an unsigned ping is answered too.
    expect((await deliver(`/webhooks/housecallpro/${id}`, ping)).status).toBe(200)
    expect(await receiptsOf(org)).toEqual([])
  })
})

describe('POST /webhooks/servicetitan/{connection_id}', () => {
  const body = (eventId: string) => JSON.stringify({ eventId, eventType: 'JobCompleted', data: { id: 42 } })

  it('verifies base64 in x-servicetitan-signature by default and keys the receipt by eventId', async () => {
    const { org, id } = await orgWith('servicetitan', { settings: { tenant_id: '555' } })
    const queue = captureQueue()
    const eventId = `st-${unique()}`
    const b = body(eventId)
    const res = await deliver(`/webhooks/servicetitan/${id}`, b, {
      'x-servicetitan-signature': await serviceTitanSignature(b, SECRET),
    })
    expect(await res.json()).toEqual({ ok: true, duplicate: false, queued: 1 })
    expect(await receiptsOf(org)).toMatchObject([{ event_key: eventId, topic: 'JobCompleted' }])
    expect(
      (
        await deliver(`/webhooks/servicetitan/${id}`, b, {
          'x-servicetitan-signature': await serviceTitanSignature(b, SECRET, 'hex'),
        })
      ).status,
    ).toBe(401)
    expect((await deliver(`/webhooks/servicetitan/${id}`, b)).status).toBe(401)
    queue.restore()
  })

  it('reads the header and encoding configured on the connection', async () => {
    const { org, id } = await orgWith('servicetitan', {
      settings: { signature_header: 'X-ST-Hmac', signature_encoding: 'hex' },
    })
    const queue = captureQueue()
    const b = body(`st-${unique()}`)
    const signature = await serviceTitanSignature(b, SECRET, 'hex')
    expect((await deliver(`/webhooks/servicetitan/${id}`, b, { 'x-servicetitan-signature': signature })).status).toBe(
      401,
    )
    expect(
      (await deliver(`/webhooks/servicetitan/${id}`, b, { 'x-st-hmac': await serviceTitanSignature(b, SECRET) }))
        .status,
    ).toBe(401)
    expect((await deliver(`/webhooks/servicetitan/${id}`, b, { 'x-st-hmac': signature })).status).toBe(200)
    expect(await receiptsOf(org)).toHaveLength(1)
    queue.restore()
  })
})
