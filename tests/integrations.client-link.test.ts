/**
 * A client's CRM link (seed 003's contact mappings, made visible): GET/POST/DELETE
 * /api/v1/clients/{id}/crm and "sync now", how webhooks record how a link was made, and the
 * client page's card searching the CRM. CRM HTTP is stubbed at the fetch boundary.
 */
import { env, runInDurableObject } from 'cloudflare:test'
import { drizzle } from 'drizzle-orm/durable-sqlite'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { pushTargets } from '../durable-objects/org/integrations/push-targets'
import * as schema from '../durable-objects/org/schema'
import { orgStub } from '../src/organizations'
import { Staff } from './helpers/browserless'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'
import { connectJobber, JOBBER_GRAPHQL, json, signedInOwner, stubFetch, syncLogOf } from './helpers/integrations'
import { bookJob, decideAt, deliver as deliverSms, messagesOf } from './helpers/messaging'
import { captureQueue, connectWithSecret, deliver, housecallProHeaders } from './helpers/webhooks'

afterEach(() => vi.restoreAllMocks())

type Link = {
  connection_id: string
  provider: string
  external_id: string
  linked_by: string
  last_synced_at: string | null
}

const links = async (org: TestOrg, clientId: string) =>
  (await (await api(org, 'GET', `/api/v1/clients/${clientId}/crm`)).json<{ links: Link[] }>()).links
const link = (org: TestOrg, clientId: string, body: unknown) =>
  api(org, 'POST', `/api/v1/clients/${clientId}/crm`, body)
const phone = () => `+1415555${String(1000 + Math.floor(Math.random() * 8999))}`
const HCP_SECRET = 'hcp-signing-secret-links'

describe('POST and DELETE /api/v1/clients/{id}/crm', () => {
  it('links by hand, replaces the link on the same connection, and unlinks', async () => {
    const org = await createOrg()
    const connectionId = await connectWithSecret(org, 'housecallpro', HCP_SECRET)
    const client = await createClient(org, { first_name: 'Robin', phone: phone() })
    expect(await links(org, client.org_client_id)).toEqual([])

    const res = await link(org, client.org_client_id, { connection_id: connectionId, external_id: 'cus_1' })
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({
      connection_id: connectionId,
      provider: 'housecallpro',
      external_id: 'cus_1',
      linked_by: 'staff',
      last_synced_at: null,
    })
    expect((await link(org, client.org_client_id, { connection_id: connectionId, external_id: 'cus_2' })).status).toBe(
      201,
    )
    expect(await links(org, client.org_client_id)).toMatchObject([{ external_id: 'cus_2', linked_by: 'staff' }])

    const gone = await api(org, 'DELETE', `/api/v1/clients/${client.org_client_id}/crm/${connectionId}`)
    expect(gone.status).toBe(204)
    expect(await links(org, client.org_client_id)).toEqual([])
    expect((await api(org, 'DELETE', `/api/v1/clients/${client.org_client_id}/crm/${connectionId}`)).status).toBe(404)
    expect((await syncLogOf(org, connectionId)).map((r) => r.step)).toEqual(['unlink', 'link', 'link'])
  })

  it('unlinking a client made from the CRM customer stops its texts going there', async () => {
    const org = await createOrg()
    const connectionId = await connectWithSecret(org, 'housecallpro', HCP_SECRET)
    const client = await createClient(org, {
      first_name: 'Hale',
      phone: phone(),
      source: 'housecallpro',
      external_id: 'cus_src',
    })
    const targets = () =>
      runInDurableObject(orgStub(env, org.organizationId), (_o, state) =>
        pushTargets(drizzle(state.storage, { schema }), client.org_client_id),
      )
    expect(await targets()).toMatchObject([{ externalClientId: 'cus_src' }])
    await link(org, client.org_client_id, { connection_id: connectionId, external_id: 'cus_src' })
    expect((await api(org, 'DELETE', `/api/v1/clients/${client.org_client_id}/crm/${connectionId}`)).status).toBe(204)
    expect(await targets()).toEqual([])
  })

  it('refuses a CRM customer already linked to another client with a 409 naming it', async () => {
    const org = await createOrg()
    const connectionId = await connectWithSecret(org, 'housecallpro', HCP_SECRET)
    const first = await createClient(org, { first_name: 'Avery', last_name: 'Stone', phone: phone() })
    const second = await createClient(org, { first_name: 'Blake', phone: phone() })
    expect((await link(org, first.org_client_id, { connection_id: connectionId, external_id: 'cus_9' })).status).toBe(
      201,
    )
    const res = await link(org, second.org_client_id, { connection_id: connectionId, external_id: 'cus_9' })
    expect(res.status).toBe(409)
    expect((await res.json<{ error: { code: string; message: string } }>()).error).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('Avery Stone'),
    })
    expect(await links(org, second.org_client_id)).toEqual([])
    expect(await links(org, first.org_client_id)).toMatchObject([{ external_id: 'cus_9' }])
  })

  it('refuses bad input with a 400 and writes nothing', async () => {
    const org = await createOrg()
    const connectionId = await connectWithSecret(org, 'housecallpro', HCP_SECRET)
    const client = await createClient(org, { first_name: 'Cam', phone: phone() })
    for (const body of [{ connection_id: connectionId }, { connection_id: connectionId, external_id: '' }, {}]) {
      expect((await link(org, client.org_client_id, body)).status).toBe(400)
    }
    expect(await links(org, client.org_client_id)).toEqual([])
  })

  it("answers 404 for another business's client or connection", async () => {
    const [mine, theirs] = [await createOrg(), await createOrg()]
    const myConnection = await connectWithSecret(mine, 'housecallpro', HCP_SECRET)
    const theirConnection = await connectWithSecret(theirs, 'housecallpro', HCP_SECRET)
    const myClient = await createClient(mine, { first_name: 'Dee', phone: phone() })
    const theirClient = await createClient(theirs, { first_name: 'Eli', phone: phone() })
    await link(theirs, theirClient.org_client_id, { connection_id: theirConnection, external_id: 'cus_theirs' })

    expect((await api(mine, 'GET', `/api/v1/clients/${theirClient.org_client_id}/crm`)).status).toBe(404)
    expect(
      (await link(mine, theirClient.org_client_id, { connection_id: myConnection, external_id: 'cus_x' })).status,
    ).toBe(404)
    expect(
      (await link(mine, myClient.org_client_id, { connection_id: theirConnection, external_id: 'cus_x' })).status,
    ).toBe(404)
    expect(
      (await api(mine, 'DELETE', `/api/v1/clients/${theirClient.org_client_id}/crm/${theirConnection}`)).status,
    ).toBe(404)
    expect((await api(mine, 'POST', `/api/v1/clients/${theirClient.org_client_id}/crm/sync`)).status).toBe(404)
    expect(await links(theirs, theirClient.org_client_id)).toMatchObject([{ external_id: 'cus_theirs' }])
    expect(await links(mine, myClient.org_client_id)).toEqual([])
  })
})

describe('POST /api/v1/clients/{id}/crm/sync', () => {
  it('is a 409 not_connected while the connection has no usable token, and not_linked without a link', async () => {
    const org = await createOrg()
    const connectionId = await connectWithSecret(org, 'housecallpro', HCP_SECRET)
    const client = await createClient(org, { first_name: 'Fran', phone: phone() })
    const unlinked = await api(org, 'POST', `/api/v1/clients/${client.org_client_id}/crm/sync`)
    expect(unlinked.status).toBe(409)
    expect((await unlinked.json<{ error: { code: string } }>()).error.code).toBe('not_linked')

    await link(org, client.org_client_id, { connection_id: connectionId, external_id: 'cus_5' })
    const res = await api(org, 'POST', `/api/v1/clients/${client.org_client_id}/crm/sync`)
    expect(res.status).toBe(409)
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('not_connected')
  })

  it('pushes the recent texts not yet on the customer, once, and notes when the link last synced', async () => {
    const { org, staff, csrf } = await signedInOwner()
    await api(org, 'PATCH', '/api/v1/organization', { quiet_hours: { start: '00:00', end: '00:00' } })
    const connectionId = await connectJobber(staff, csrf, org)
    const client = await createClient(org, { first_name: 'Gale', phone: phone() })
    await bookJob(org, client.org_client_id, '2030-06-10T19:00:00Z')
    await decideAt(org, new Date('2030-06-09T19:00:30Z'))
    const sms = (await messagesOf(org)).find((m) => m.channel === 'sms')!
    await deliverSms(org, [sms.id])
    // Not linked when the text went: nothing was pushed.
    expect((await syncLogOf(org, connectionId)).filter((r) => r.step === 'push')).toEqual([])

    const jobberClient = 'Z2lkOi8vSm9iYmVyL0NsaWVudC83Nw=='
    await link(org, client.org_client_id, { connection_id: connectionId, external_id: jobberClient })
    const stub = stubFetch((call) =>
      call.url === JOBBER_GRAPHQL && call.body.includes('clientCreateNote')
        ? json({ data: { clientCreateNote: { clientNote: { id: 'note-1' }, userErrors: [] } } })
        : undefined,
    )
    const res = await api(org, 'POST', `/api/v1/clients/${client.org_client_id}/crm/sync`, {})
    expect(res.status).toBe(202)
    expect(await res.json()).toEqual({ queued: 1 })
    await vi.waitFor(
      async () =>
        expect((await syncLogOf(org, connectionId)).filter((r) => r.step === 'push')).toMatchObject([
          { status: 'ok', eventKey: sms.id },
        ]),
      { timeout: 8000, interval: 200 },
    )
    const note = stub.calls.find((c) => c.body.includes('clientCreateNote'))!
    expect(JSON.parse(note.body).variables).toMatchObject({
      clientId: jobberClient,
      input: { message: expect.stringContaining(sms.body) },
    })
    const [synced] = await links(org, client.org_client_id)
    expect(synced!.last_synced_at).not.toBeNull()

    // Already on the customer: a second sync sends nothing more.
    const again = await api(org, 'POST', `/api/v1/clients/${client.org_client_id}/crm/sync`)
    expect(await again.json()).toEqual({ queued: 0 })
  })
})

describe('links made by webhooks', () => {
  it("records 'match' for a customer found by email and 'webhook' for one made from the CRM", async () => {
    const org = await createOrg()
    const connectionId = await connectWithSecret(org, 'housecallpro', HCP_SECRET)
    const email = `ivy-${unique()}@example.com`
    const ours = await createClient(org, { first_name: 'Ivy', email })
    const send = async (payload: unknown) => {
      const body = JSON.stringify(payload)
      const res = await deliver(
        `/webhooks/housecallpro/${connectionId}`,
        body,
        await housecallProHeaders(body, HCP_SECRET),
      )
      expect(res.status).toBe(200)
    }
    const customer = (id: string, over: Record<string, unknown>) => ({
      id,
      first_name: 'Ivy',
      last_name: 'Lane',
      email: null,
      mobile_number: null,
      home_number: null,
      work_number: null,
      company: null,
      updated_at: '2026-03-01T09:00:00Z',
      ...over,
    })
    const queue = captureQueue()
    await send({ event: 'customer.created', customer: customer('cus_match', { email }) })
    await send({
      event: 'customer.created',
      customer: customer('cus_new', { first_name: 'Jude', email: `jude-${unique()}@example.com` }),
    })
    await queue.drain()
    queue.restore()

    expect(await links(org, ours.org_client_id)).toMatchObject([
      { connection_id: connectionId, external_id: 'cus_match', linked_by: 'match', last_synced_at: expect.any(String) },
    ])
    const clients = (
      await (
        await api(org, 'GET', '/api/v1/clients?limit=50')
      ).json<{
        items: { org_client_id: string }[]
      }>()
    ).items
    const made = clients.find((c) => c.org_client_id !== ours.org_client_id)!
    expect(await links(org, made.org_client_id)).toMatchObject([{ external_id: 'cus_new', linked_by: 'webhook' }])
  })
})

describe("the client page's CRM card", () => {
  it('searches the CRM, links a customer, syncs and unlinks, without JavaScript', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const connectionId = await connectJobber(staff, csrf, org)
    const client = await createClient(org, { first_name: 'Kit', phone: phone() })
    const page = await (await staff.get(`/app/clients/${client.org_client_id}`)).text()
    expect(page).toContain(`href="/app/clients/${client.org_client_id}/crm"`)
    const card = await (await staff.get(`/app/clients/${client.org_client_id}/crm`)).text()
    expect(card).toContain('Not linked to a Jobber customer')

    const stub = stubFetch((call) =>
      call.url === JOBBER_GRAPHQL && call.body.includes('clients(')
        ? json({
            data: {
              clients: {
                nodes: [
                  {
                    id: 'Q2xpZW50LzEyMw==',
                    firstName: 'Kit',
                    lastName: 'Marlow',
                    companyName: null,
                    emails: [{ address: 'kit@example.com', primary: true }],
                    phones: [{ number: '415-555-0199', primary: true }],
                  },
                ],
              },
            },
          })
        : undefined,
    )
    const found = await staff.get(
      `/app/clients/${client.org_client_id}/crm/search?connection_id=${connectionId}&q=${encodeURIComponent('Kit')}`,
    )
    expect(found.status).toBe(200)
    const html = await found.text()
    expect(html).toContain('Kit Marlow')
    expect(html).toContain('value="Q2xpZW50LzEyMw=="')
    const search = JSON.parse(stub.calls[0]!.body) as { query: string; variables: { q: string } }
    expect(search.query).toContain('searchTerm')
    expect(search.variables.q).toBe('Kit')

    const linked = await staff.post(`/app/clients/${client.org_client_id}/crm/link`, {
      _csrf: csrf,
      connection_id: connectionId,
      external_id: 'Q2xpZW50LzEyMw==',
    })
    expect(linked.status).toBe(303)
    expect(await links(org, client.org_client_id)).toMatchObject([
      { external_id: 'Q2xpZW50LzEyMw==', linked_by: 'staff' },
    ])
    const after = await (await staff.get(linked.headers.get('location')!)).text()
    expect(after).toContain('Linked to the CRM customer.')
    expect(after).toContain('linked by staff')

    const synced = await staff.post(`/app/clients/${client.org_client_id}/crm/sync`, {
      _csrf: csrf,
      connection_id: connectionId,
    })
    expect(synced.status).toBe(303)
    const unlinked = await staff.post(`/app/clients/${client.org_client_id}/crm/unlink`, {
      _csrf: csrf,
      connection_id: connectionId,
    })
    expect(unlinked.status).toBe(303)
    expect(await links(org, client.org_client_id)).toEqual([])

    // Another business's client is not found from this session.
    const stranger = await createOrg()
    const theirs = await createClient(stranger, { first_name: 'Lou', phone: phone() })
    expect((await staff.get(`/app/clients/${theirs.org_client_id}/crm`)).status).toBe(404)
    expect(
      (
        await staff.post(`/app/clients/${theirs.org_client_id}/crm/link`, {
          _csrf: csrf,
          connection_id: connectionId,
          external_id: 'x',
        })
      ).status,
    ).toBe(404)
  })
})

describe('who may relink a client', () => {
  it('lets a tech see the link and sync it, but not search the CRM, link or unlink (403), and hides those', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const connectionId = await connectJobber(staff, csrf, org)
    const client = await createClient(org, { first_name: 'Tam', phone: phone() })
    expect(
      (await link(org, client.org_client_id, { connection_id: connectionId, external_id: 'Q2xpZW50Lzk=' })).status,
    ).toBe(201)

    const invite = await api(org, 'POST', '/api/v1/team/invites', {
      email: `tech-${unique()}@example.com`,
      role: 'tech',
    })
    const { invite_url } = await invite.json<{ invite_url: string }>()
    const tech = new Staff()
    await tech.post(new URL(invite_url).pathname, { password: 'tech password 1' })
    const techCsrf = await tech.csrfToken()

    const card = await (await tech.get(`/app/clients/${client.org_client_id}/crm`)).text()
    expect(card).toContain('Q2xpZW50Lzk=')
    expect(card).toContain('data-testid="crm-sync"')
    expect(card).not.toContain('data-testid="crm-unlink"')
    expect(card).not.toContain('data-testid="crm-search"')
    const base = `/app/clients/${client.org_client_id}/crm`
    expect((await tech.get(`${base}/search?connection_id=${connectionId}&q=Tam`)).status).toBe(403)
    expect(
      (await tech.post(`${base}/link`, { _csrf: techCsrf, connection_id: connectionId, external_id: 'Q2xpZW50LzE=' }))
        .status,
    ).toBe(403)
    expect((await tech.post(`${base}/unlink`, { _csrf: techCsrf, connection_id: connectionId })).status).toBe(403)
    expect(await links(org, client.org_client_id)).toMatchObject([{ external_id: 'Q2xpZW50Lzk=' }])

    const ownerCard = await (await staff.get(base)).text()
    expect(ownerCard).toContain('data-testid="crm-unlink"')
    expect(ownerCard).toContain('data-testid="crm-search"')
  })
})
