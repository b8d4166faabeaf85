// Over 300 lines on purpose: connecting, tokens, disconnecting and the Integrations page share one stubbed fetch boundary and routeRow().
/**
 * Connections: POST /api/v1/integrations, OAuth connect with a session-bound state, sealed
 * tokens, refresh before expiry, invalid_grant, ServiceTitan's client credentials, disconnect,
 * the Integrations page and its scheduling cache. Provider HTTP is stubbed at the fetch boundary.
 */
import { env } from 'cloudflare:test'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { endpointsFor } from '../src/integrations/endpoints'
import { decryptSecret } from '../src/integrations/secrets'
import { orgStub } from '../src/organizations'
import { Staff } from './helpers/browserless'
import { api, createOrg } from './helpers/factories'
import {
  callback,
  connectJobber,
  JOBBER_GRAPHQL,
  JOBBER_TOKEN,
  jobberRoutes,
  json,
  orgSql,
  rawConnection,
  signedInOwner,
  startConnect,
  stubFetch,
  syncLogOf,
} from './helpers/integrations'
import { connectionsOf } from '../src/integrations/remote'

afterEach(() => vi.restoreAllMocks())

type Connection = {
  id: string
  connection_id: string
  provider: string
  status: string
  account_id: string | null
  account_name: string | null
  webhook_url: string
  auth: string
}

async function routeRow(connectionId: string) {
  return env.PEOPLE.prepare('select * from integration_routes where connection_id = ?')
    .bind(connectionId)
    .first<{ organization_id: string; provider: string; account_id: string | null }>()
}

describe('POST /api/v1/integrations', () => {
  it('creates a connection with a sealed webhook secret, its webhook URL and a D1 route', async () => {
    const org = await createOrg()
    const res = await api(org, 'POST', '/api/v1/integrations', {
      provider: 'servicetitan',
      webhook_secret: 'st-hmac-key-0123456789abcdef0123456789',
      account_id: '884422',
      settings: { tenant_id: '884422', signature_header: 'X-ST-Signature', signature_encoding: 'hex' },
    })
    expect(res.status).toBe(201)
    const body = await res.json<Connection & { settings: Record<string, string> }>()
    expect(body.webhook_url).toBe(`https://homebase.test/webhooks/servicetitan/${body.connection_id}`)
    expect(body).toMatchObject({
      provider: 'servicetitan',
      status: 'connected',
      account_id: '884422',
      auth: 'webhook_only',
    })
    expect(body.settings).toEqual({
      tenant_id: '884422',
      signature_header: 'x-st-signature',
      signature_encoding: 'hex',
      sync_messages: true,
      sync_calls: true,
      push_new_clients: true,
      stop_journeys_on: ['job_booked', 'job_completed', 'customer_contacted', 'invoice_paid'],
      service_map: {},
    })
    // The account id is the business's word, so nothing app-wide is routed by it (kept on the connection above).
    expect(await routeRow(body.connection_id)).toMatchObject({
      organization_id: org.organizationId,
      provider: 'servicetitan',
      account_id: null,
    })

    const raw = await rawConnection(org, body.connection_id)
    expect(raw.webhook_secret).toMatch(/^hb1\.k1\./)
    expect(raw.webhook_secret).not.toContain('st-hmac-key')
    expect(await decryptSecret(env, raw.webhook_secret!, `connection:${body.connection_id}:webhook_secret`)).toBe(
      'st-hmac-key-0123456789abcdef0123456789',
    )
    expect(await connectionsOf(orgStub(env, org.organizationId)).webhookSecret(body.connection_id)).toBe(
      'st-hmac-key-0123456789abcdef0123456789',
    )

    const listed = await (await api(org, 'GET', '/api/v1/integrations')).text()
    expect(listed).toContain(body.connection_id)
    expect(listed).not.toContain('st-hmac-key')
    expect(listed).not.toContain('hb1.')
  })

  it('refuses a bad body with 400', async () => {
    const org = await createOrg()
    for (const bad of [
      { provider: 'salesforce', webhook_secret: 'long enough secret' },
      { provider: 'jobber' },
      { provider: 'jobber', webhook_secret: 'short' },
      { provider: 'servicetitan', webhook_secret: 'long enough secret', settings: { signature_encoding: 'base32' } },
      {
        provider: 'servicetitan',
        webhook_secret: 'long enough secret',
        settings: { signature_header: 'not a header!' },
      },
    ]) {
      const res = await api(org, 'POST', '/api/v1/integrations', bad)
      expect(res.status, JSON.stringify(bad)).toBe(400)
      expect((await res.json<{ error: { code: string } }>()).error.code).toBe('invalid_input')
    }
    const notJson = await api(org, 'POST', '/api/v1/integrations', undefined, { 'content-type': 'text/plain' })
    expect(notJson.status).toBe(400)
  })

  it('hides another organization’s connection behind 404', async () => {
    const owner = await createOrg()
    const other = await createOrg()
    const { connection_id: id } = await (
      await api(owner, 'POST', '/api/v1/integrations', { provider: 'jobber', webhook_secret: 'own-app-client-secret' })
    ).json<Connection>()
    expect((await api(other, 'GET', `/api/v1/integrations/${id}`)).status).toBe(404)
    expect((await api(other, 'GET', `/api/v1/integrations/${id}/log`)).status).toBe(404)
    expect((await api(other, 'DELETE', `/api/v1/integrations/${id}`)).status).toBe(404)
    expect((await api(owner, 'GET', `/api/v1/integrations/${id}`)).status).toBe(200)
  })

  it('disconnects: secrets erased, status disconnected, route removed, step logged', async () => {
    const org = await createOrg()
    const { connection_id: id } = await (
      await api(org, 'POST', '/api/v1/integrations', { provider: 'housecallpro', webhook_secret: 'hcp-signing-secret' })
    ).json<Connection>()
    const res = await api(org, 'DELETE', `/api/v1/integrations/${id}`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ id, status: 'disconnected', has_webhook_secret: false })
    expect(await routeRow(id)).toBeNull()
    const raw = await rawConnection(org, id)
    expect([raw.webhook_secret, raw.access_token, raw.refresh_token]).toEqual([null, null, null])
    expect(await connectionsOf(orgStub(env, org.organizationId)).webhookSecret(id)).toBeNull()
    const log = await (await api(org, 'GET', `/api/v1/integrations/${id}/log`)).json<{
      items: Array<{ step: string; status: string }>
    }>()
    expect(log.items[0]).toMatchObject({ step: 'disconnect', status: 'ok' })
  })
})

describe('OAuth connect', () => {
  it('sends the owner to Jobber, exchanges the code, seals the tokens and routes the account', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const stub = stubFetch(jobberRoutes())
    const authorize = await startConnect(staff, csrf, 'jobber')
    expect(`${authorize.origin}${authorize.pathname}`).toBe('https://api.getjobber.com/api/oauth/authorize')
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      client_id: 'jobber-client-id',
      redirect_uri: 'https://homebase.test/app/integrations/oauth/callback',
      response_type: 'code',
    })
    const pending = (await connectionsOf(orgStub(env, org.organizationId)).listConnections())[0]!
    expect(pending.status).toBe('pending')

    const res = await callback(staff, { code: 'the-code', state: authorize.searchParams.get('state')! })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toMatch(/^\/app\/integrations\?connected=jobber/)

    const [exchange] = stub.to(JOBBER_TOKEN)
    expect(exchange!.method).toBe('POST')
    expect(exchange!.headers.get('content-type')).toBe('application/x-www-form-urlencoded')
    expect(Object.fromEntries(new URLSearchParams(exchange!.body))).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: 'https://homebase.test/app/integrations/oauth/callback',
      client_id: 'jobber-client-id',
      client_secret: 'jobber_client_secret',
    })
    const [account] = stub.to(JOBBER_GRAPHQL)
    expect(account!.headers.get('authorization')).toBe('Bearer jobber-access-1')
    expect(account!.headers.get('x-jobber-graphql-version')).toMatch(/^\d{4}-\d{2}-\d{2}$/)

    const view = await (await api(org, 'GET', `/api/v1/integrations/${pending.id}`)).json<Connection>()
    expect(view).toMatchObject({
      status: 'connected',
      auth: 'oauth',
      account_id: 'Z2lkOi8vSm9iYmVyL0FjY291bnQvNzc=',
      account_name: 'Sparkle on Jobber',
    })
    expect(JSON.stringify(view)).not.toContain('jobber-access-1')
    expect(await routeRow(pending.id)).toMatchObject({
      organization_id: org.organizationId,
      account_id: 'Z2lkOi8vSm9iYmVyL0FjY291bnQvNzc=',
    })
    expect((await syncLogOf(org, pending.id)).map((r) => `${r.step}:${r.status}`)).toEqual(
      expect.arrayContaining(['oauth:ok', 'connect:ok']),
    )
    const page = await (await staff.get('/app/integrations')).text()
    expect(page).toMatch(/card-jobber[\s\S]*?data-testid="status">connected<[\s\S]*?Sparkle on Jobber/)
  })

  it('stores tokens that are unreadable without the key and bound to their column', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const id = await connectJobber(staff, csrf, org)
    const raw = await rawConnection(org, id)
    const stored = JSON.stringify(raw)
    expect(stored).not.toContain('jobber-access-1')
    expect(stored).not.toContain('jobber-refresh-1')
    expect(raw.access_token).toMatch(/^hb1\.k1\./)
    expect(await decryptSecret(env, raw.access_token!, `connection:${id}:access_token`)).toBe('jobber-access-1')
    await expect(
      decryptSecret({ ENCRYPTION_KEY: 'some-other-key-entirely' }, raw.access_token!, `connection:${id}:access_token`),
    ).rejects.toThrow()
    // Copied into another column (or row), the ciphertext does not open.
    await expect(decryptSecret(env, raw.access_token!, `connection:${id}:refresh_token`)).rejects.toThrow()
    expect(await decryptSecret(env, raw.refresh_token!, `connection:${id}:refresh_token`)).toBe('jobber-refresh-1')
  })

  it('refuses a state from another session, a reused state and an expired state', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const stub = stubFetch(jobberRoutes())
    const state = (await startConnect(staff, csrf, 'jobber')).searchParams.get('state')!

    const otherSession = new Staff()
    await otherSession.post('/login', { email: org.email, password: org.password })
    expect((await callback(otherSession, { code: 'stolen', state })).status).toBe(400)
    const stranger = await signedInOwner()
    expect((await callback(stranger.staff, { code: 'stolen', state })).status).toBe(400)
    expect(stub.to(JOBBER_TOKEN)).toHaveLength(0)

    expect((await callback(staff, { code: 'code-1', state })).status).toBe(303)
    expect((await callback(staff, { code: 'code-1', state })).status).toBe(400)
    expect(stub.to(JOBBER_TOKEN)).toHaveLength(1)

    const late = (await startConnect(staff, csrf, 'jobber')).searchParams.get('state')!
    await env.PEOPLE.prepare('update oauth_states set expires_at = ? where state = ?')
      .bind(new Date(Date.now() - 1000).toISOString(), late)
      .run()
    expect((await callback(staff, { code: 'code-2', state: late })).status).toBe(400)
    expect(stub.to(JOBBER_TOKEN)).toHaveLength(1)
    expect((await callback(staff, { code: 'code-2' })).status).toBe(400)
  })

  it('records a refused consent on the card', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const state = (await startConnect(staff, csrf, 'housecallpro')).searchParams.get('state')!
    const res = await callback(staff, { error: 'access_denied', state })
    expect(res.headers.get('location')).toBe('/app/integrations?failed=housecallpro')
    const [connection] = await connectionsOf(orgStub(env, org.organizationId)).listConnections()
    expect(connection).toMatchObject({ provider: 'housecallpro', status: 'error' })
    expect(connection!.last_error).toContain('access_denied')
    expect(await (await staff.get('/app/integrations')).text()).toMatch(/card-housecallpro[\s\S]*?reconnect needed/)
  })

  it('asks QuickBooks with Basic auth and takes the company from realmId', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const stub = stubFetch((call) => {
      if (call.url === 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer')
        return json({
          access_token: 'qbo-access',
          refresh_token: 'qbo-refresh',
          expires_in: 3600,
          x_refresh_token_expires_in: 8_726_400,
        })
      if (call.url.startsWith('https://quickbooks.api.intuit.com/v3/company/9130/companyinfo/9130'))
        return json({ CompanyInfo: { CompanyName: 'Sparkle Books' } })
      return undefined
    })
    const authorize = await startConnect(staff, csrf, 'quickbooks')
    expect(authorize.searchParams.get('scope')).toBe('com.intuit.quickbooks.accounting')
    await callback(staff, { code: 'qbo-code', state: authorize.searchParams.get('state')!, realmId: '9130' })
    const [exchange] = stub.calls
    expect(exchange!.headers.get('authorization')).toBe(`Basic ${btoa('qbo-client-id:qbo-client-secret')}`)
    expect(new URLSearchParams(exchange!.body).get('client_secret')).toBeNull()
    const [connection] = await connectionsOf(orgStub(env, org.organizationId)).listConnections()
    expect(connection).toMatchObject({ status: 'connected', account_id: '9130', account_name: 'Sparkle Books' })
  })
})

describe('access tokens', () => {
  it('refreshes a token about to expire and stores the rotated tokens sealed', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const id = await connectJobber(staff, csrf, org)
    const object = orgStub(env, org.organizationId)
    expect(await connectionsOf(object).accessToken(id)).toBe('jobber-access-1')

    await orgSql(
      org,
      'update connections set token_expires_at = ? where id = ?',
      new Date(Date.now() - 60_000).toISOString(),
      id,
    )
    const stub = stubFetch(jobberRoutes({ access: 'jobber-access-2', refresh: 'jobber-refresh-2' }))
    expect(await connectionsOf(object).accessToken(id)).toBe('jobber-access-2')
    expect(Object.fromEntries(new URLSearchParams(stub.to(JOBBER_TOKEN)[0]!.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'jobber-refresh-1',
      client_id: 'jobber-client-id',
      client_secret: 'jobber_client_secret',
    })
    const raw = await rawConnection(org, id)
    expect(await decryptSecret(env, raw.access_token!, `connection:${id}:access_token`)).toBe('jobber-access-2')
    expect(await decryptSecret(env, raw.refresh_token!, `connection:${id}:refresh_token`)).toBe('jobber-refresh-2')
    expect(Date.parse(raw.token_expires_at!)).toBeGreaterThan(Date.now() + 50 * 60_000)
    expect(await connectionsOf(object).accessToken(id)).toBe('jobber-access-2')
    expect(stub.to(JOBBER_TOKEN)).toHaveLength(1)
    expect((await syncLogOf(org, id))[0]).toMatchObject({ step: 'refresh', status: 'ok' })
  })

  it('refreshes within five minutes of expiry, once for concurrent callers', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const id = await connectJobber(staff, csrf, org)
    await orgSql(
      org,
      'update connections set token_expires_at = ? where id = ?',
      new Date(Date.now() + 4 * 60_000).toISOString(),
      id,
    )
    const stub = stubFetch(jobberRoutes({ access: 'jobber-access-3' }))
    const object = orgStub(env, org.organizationId)
    expect(await Promise.all([connectionsOf(object).accessToken(id), connectionsOf(object).accessToken(id)])).toEqual([
      'jobber-access-3',
      'jobber-access-3',
    ])
    expect(stub.to(JOBBER_TOKEN)).toHaveLength(1)
  })

  it('marks the connection token_expired when the refresh is answered invalid_grant', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const id = await connectJobber(staff, csrf, org)
    await orgSql(
      org,
      'update connections set token_expires_at = ? where id = ?',
      new Date(Date.now() - 60_000).toISOString(),
      id,
    )
    stubFetch((call) =>
      call.url === JOBBER_TOKEN
        ? json({ error: 'invalid_grant', error_description: 'The provided refresh token is not valid.' }, 400)
        : undefined,
    )
    const object = orgStub(env, org.organizationId)
    expect(await connectionsOf(object).accessToken(id)).toBeNull()
    expect(await connectionsOf(object).getConnection(id)).toMatchObject({ status: 'token_expired' })
    expect((await syncLogOf(org, id))[0]).toMatchObject({ step: 'refresh', status: 'error' })
    expect((await syncLogOf(org, id))[0]!.detail).toContain('invalid_grant')
    const page = await (await staff.get('/app/integrations')).text()
    expect(page).toMatch(/card-jobber[\s\S]*?reconnect needed[\s\S]*?Reconnect Jobber/)
  })

  it('keeps the connection when the token endpoint is merely down', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const id = await connectJobber(staff, csrf, org)
    await orgSql(
      org,
      'update connections set token_expires_at = ? where id = ?',
      new Date(Date.now() + 60_000).toISOString(),
      id,
    )
    stubFetch((call) => (call.url === JOBBER_TOKEN ? new Response('upstream unavailable', { status: 503 }) : undefined))
    const object = orgStub(env, org.organizationId)
    expect(await connectionsOf(object).accessToken(id)).toBe('jobber-access-1')
    expect(await connectionsOf(object).getConnection(id)).toMatchObject({ status: 'connected' })
  })
})

describe('ServiceTitan', () => {
  const ST_TOKEN = 'https://auth.servicetitan.io/connect/token'
  const ST_API = 'https://api.servicetitan.io'

  it('connects with the tenant’s client credentials and shows its cached scheduling settings', async () => {
    const { org, staff, csrf } = await signedInOwner()
    let tokens = 0
    const lists: Record<string, unknown> = {
      '/jpm/v2/tenant/4455/job-types': {
        data: [
          { id: 11, name: 'AC Repair' },
          { id: 12, name: 'Furnace Tune-up' },
        ],
      },
      '/settings/v2/tenant/4455/business-units': { data: [{ id: 21, name: 'HVAC Residential' }] },
      '/settings/v2/tenant/4455/technicians': { data: [{ id: 31, name: 'Dana Tech' }] },
    }
    const stub = stubFetch((call) => {
      if (call.url === ST_TOKEN)
        return json({ access_token: `st-access-${++tokens}`, expires_in: 900, token_type: 'Bearer' })
      const path = new URL(call.url).pathname
      return call.url.startsWith(ST_API) && lists[path] ? json(lists[path]) : undefined
    })
    const res = await staff.post('/app/integrations/servicetitan/connect', {
      _csrf: csrf,
      tenant_id: '4455',
      client_id: 'cid.tenant',
      client_secret: 'tenant-secret',
    })
    expect(res.status).toBe(303)
    expect(Object.fromEntries(new URLSearchParams(stub.to(ST_TOKEN)[0]!.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'cid.tenant',
      client_secret: 'tenant-secret',
    })
    const [connection] = await connectionsOf(orgStub(env, org.organizationId)).listConnections()
    expect(connection).toMatchObject({
      provider: 'servicetitan',
      status: 'connected',
      auth: 'client_credentials',
      account_id: '4455',
      settings: { tenant_id: '4455' },
    })
    const raw = await rawConnection(org, connection!.id)
    expect(JSON.stringify(raw)).not.toContain('tenant-secret')

    const config = await (await staff.get(`/app/integrations/${connection!.id}/config`)).text()
    expect(config).toContain('AC Repair')
    expect(config).toContain('HVAC Residential')
    expect(config).toContain('Dana Tech')
    const apiCall = stub.to(`${ST_API}/settings/v2/tenant/4455/technicians`)[0]!
    expect(apiCall.headers.get('st-app-key')).toBe('st-app-key')
    expect(apiCall.headers.get('authorization')).toBe('Bearer st-access-1')
    const fetched = stub.to(ST_API).length
    await staff.get(`/app/integrations/${connection!.id}/config`)
    expect(stub.to(ST_API)).toHaveLength(fetched)

    // Sixteen minutes later the cache is stale; the client credentials get a new token when the old one is due.
    await orgSql(
      org,
      'update crm_cache set fetched_at = ? where connection_id = ?',
      new Date(Date.now() - 16 * 60_000).toISOString(),
      connection!.id,
    )
    await orgSql(
      org,
      'update connections set token_expires_at = ? where id = ?',
      new Date(Date.now() - 1000).toISOString(),
      connection!.id,
    )
    await staff.get(`/app/integrations/${connection!.id}/config`)
    expect(stub.to(ST_API).length).toBe(fetched + 3)
    expect(stub.to(ST_TOKEN)).toHaveLength(2)
    expect(new URLSearchParams(stub.to(ST_TOKEN)[1]!.body).get('client_secret')).toBe('tenant-secret')
  })

  it('shows "not available" when the provider cannot be read', async () => {
    const { org, staff, csrf } = await signedInOwner()
    stubFetch((call) =>
      call.url === ST_TOKEN
        ? json({ access_token: 'st-access', expires_in: 900 })
        : new Response('nope', { status: 500 }),
    )
    await staff.post('/app/integrations/servicetitan/connect', { _csrf: csrf, tenant_id: '77' })
    const [connection] = await connectionsOf(orgStub(env, org.organizationId)).listConnections()
    const config = await (await staff.get(`/app/integrations/${connection!.id}/config`)).text()
    expect(config.match(/not available/g)).toHaveLength(3)
  })

  it('asks for a tenant id', async () => {
    const { staff, csrf } = await signedInOwner()
    const res = await staff.post('/app/integrations/servicetitan/connect', { _csrf: csrf, tenant_id: '' })
    expect(res.status).toBe(422)
    expect(await res.text()).toContain('Enter your ServiceTitan tenant id.')
  })
})

describe('the Integrations page', () => {
  it('shows a card per provider, saves a webhook secret and disconnects from the card', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const html = await (await staff.get('/app/integrations')).text()
    for (const name of ['Jobber', 'Housecall Pro', 'ServiceTitan', 'QuickBooks Online']) expect(html).toContain(name)
    expect(html.match(/data-testid="status">not connected</g)).toHaveLength(4)
    expect(html).toContain('href="/app/integrations" aria-current="page"')

    expect(
      (await staff.post('/app/integrations/housecallpro/webhook-secret', { _csrf: csrf, webhook_secret: 'short' }))
        .status,
    ).toBe(422)
    const saved = await staff.post('/app/integrations/housecallpro/webhook-secret', {
      _csrf: csrf,
      webhook_secret: 'hcp-signing-secret-123',
      account_id: 'co_1',
    })
    expect(saved.status).toBe(303)
    const [connection] = await connectionsOf(orgStub(env, org.organizationId)).listConnections()
    const page = await (await staff.get('/app/integrations')).text()
    expect(page).toContain(`https://homebase.test/webhooks/housecallpro/${connection!.id}`)
    expect(page).not.toContain('hcp-signing-secret-123')

    const card = await staff.post(
      `/app/integrations/${connection!.id}/disconnect`,
      { _csrf: csrf },
      { 'hx-request': 'true' },
    )
    expect(card.status).toBe(200)
    expect(await card.text()).toMatch(/^<section class="card" id="card-housecallpro"[\s\S]*not connected/)
  })

  it('lets only owners and admins connect', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const invite = await staff.post(
      '/app/settings/invites',
      { _csrf: csrf, email: `member-${Date.now()}@example.com`, role: 'member' },
      { 'hx-request': 'true' },
    )
    const link = (await invite.text()).match(/data-testid="invite-link">([^<]+)</)![1]!
    const member = new Staff()
    const token = new URL(link).pathname
    await member.post(token, { password: 'member password long', name: 'Mo' })
    const memberCsrf = await member.csrfToken()
    expect((await member.post('/app/integrations/jobber/connect', { _csrf: memberCsrf })).status).toBe(403)
    expect(await connectionsOf(orgStub(env, org.organizationId)).listConnections()).toHaveLength(0)
  })
})

describe('endpoints', () => {
  it('are configuration: INTEGRATION_ENDPOINTS overrides a provider’s URLs', () => {
    expect(endpointsFor({}, 'jobber').token).toBe(JOBBER_TOKEN)
    const stubbed = endpointsFor(
      { INTEGRATION_ENDPOINTS: JSON.stringify({ jobber: { token: 'http://127.0.0.1:9999/token' } }) },
      'jobber',
    )
    expect(stubbed).toMatchObject({ token: 'http://127.0.0.1:9999/token', graphql: JOBBER_GRAPHQL })
  })
})
