/**
 * CRM webhook connections remembered in the isolate: a delivery after the first skips the route
 * read and the object's lookup, yet a rotated secret works at once, a disconnected connection
 * refuses at once, an unknown one is never remembered, and no business's secret opens another's.
 */
import { env, runInDurableObject } from 'cloudflare:test'
import { afterEach, describe, expect, it } from 'vitest'
import { seal } from '../durable-objects/org/integrations/tokens'
import { clock } from '../src/clock'
import { orgStub } from '../src/organizations'
import { rememberedTarget, TARGET_CACHE_TTL_MS, webhookTargets } from '../src/integrations/target-cache'
import { api, createOrg, unique, type TestOrg } from './helpers/factories'
import { base64Hmac, captureQueue, connectWithSecret, deliver, receiptsOf } from './helpers/webhooks'

afterEach(() => clock.set(null))

const SECRET = 'business-own-secret-123'

const jobberBody = () =>
  JSON.stringify({
    data: {
      webHookEvent: {
        topic: 'CLIENT_CREATE',
        appId: 'app-1',
        accountId: 'acct-1',
        itemId: `item-${unique()}`,
        occurredAt: '2026-03-02T16:31:36-06:00',
      },
    },
  })

/** A signed Jobber delivery to a connection's own URL. */
async function jobber(id: string, secret = SECRET, body = jobberBody()) {
  return deliver(`/webhooks/jobber/${id}`, body, { 'x-jobber-hmac-sha256': await base64Hmac(body, secret) })
}

async function jobberOrg(secret = SECRET): Promise<{ org: TestOrg; id: string }> {
  const org = await createOrg()
  return { org, id: await connectWithSecret(org, 'jobber', secret) }
}

/** What another isolate (or the card) does: a new secret sealed into the connection, this isolate not told. */
async function rotateSecret(org: TestOrg, id: string, secret: string) {
  const sealed = await seal(env, id, 'webhook_secret', secret)
  await runInDurableObject(orgStub(env, org.organizationId), (_object, state) => {
    state.storage.sql.exec('update connections set webhook_secret = ? where id = ?', sealed, id)
  })
}

describe('remembered webhook connections', () => {
  it('remembers a connection after a delivery, so the next one needs no route read', async () => {
    const { org, id } = await jobberOrg()
    const queue = captureQueue()
    expect((await jobber(id)).status).toBe(200)
    expect(rememberedTarget(id)).toMatchObject({ organizationId: org.organizationId, provider: 'jobber' })
    // The route row gone from D1: only a remembered connection still finds its organization.
    await env.PEOPLE.prepare('delete from integration_routes where connection_id = ?').bind(id).run()
    expect((await jobber(id)).status).toBe(200)
    expect(await receiptsOf(org)).toHaveLength(2)
    expect(queue.queued).toHaveLength(2)

    clock.set(new Date(Date.now() + TARGET_CACHE_TTL_MS + 1))
    expect(rememberedTarget(id)).toBeUndefined()
    expect((await jobber(id)).status).toBe(404)
    expect(await receiptsOf(org)).toHaveLength(2)
    queue.restore()
  })

  it('accepts a delivery signed with a rotated secret at once', async () => {
    const { org, id } = await jobberOrg()
    const queue = captureQueue()
    expect((await jobber(id)).status).toBe(200)
    await rotateSecret(org, id, 'rotated-secret-456')
    expect((await jobber(id, 'rotated-secret-456')).status).toBe(200)
    expect(rememberedTarget(id)?.secret).toBe('rotated-secret-456')
    expect(await receiptsOf(org)).toHaveLength(2)
    queue.restore()
  })

  it('refuses a delivery signed with the replaced secret at once, though this isolate still remembers it', async () => {
    const { org, id } = await jobberOrg()
    const queue = captureQueue()
    expect((await jobber(id)).status).toBe(200)
    await rotateSecret(org, id, 'rotated-secret-456')
    expect(rememberedTarget(id)?.secret).toBe(SECRET)
    const old = await jobber(id, SECRET)
    expect(old.status).toBe(401)
    expect((await old.json<{ error: { code: string } }>()).error.code).toBe('unauthorized')
    expect(rememberedTarget(id)?.secret).toBe('rotated-secret-456')
    expect(await receiptsOf(org)).toHaveLength(1)
    expect(queue.queued).toHaveLength(1)
    // The same secret saved again is a new seal: a delivery signed with it still goes through.
    await rotateSecret(org, id, 'rotated-secret-456')
    expect((await jobber(id, 'rotated-secret-456')).status).toBe(200)
    expect(await receiptsOf(org)).toHaveLength(2)
    queue.restore()
  })

  it('refuses a delivery for a remembered connection as soon as it is disconnected, and forgets it', async () => {
    const { org, id } = await jobberOrg()
    const queue = captureQueue()
    expect((await jobber(id)).status).toBe(200)
    expect(rememberedTarget(id)).toBeDefined()
    expect((await api(org, 'DELETE', `/api/v1/integrations/${id}`)).status).toBe(200)
    // Put back as another isolate would still hold it.
    expect(rememberedTarget(id)).toBeDefined()
    const res = await jobber(id)
    expect(res.status).toBe(404)
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('not_found')
    expect(rememberedTarget(id)).toBeUndefined()
    expect(await receiptsOf(org)).toHaveLength(1)
    expect(queue.queued).toHaveLength(1)
    queue.restore()
  })

  it('never remembers an unknown connection', async () => {
    const unknown = crypto.randomUUID()
    const size = webhookTargets.size
    expect((await jobber(unknown)).status).toBe(404)
    expect(rememberedTarget(unknown)).toBeUndefined()
    expect(webhookTargets.size).toBe(size)
  })

  it("refuses another business's connection id signed with this business's secret, and stores nothing", async () => {
    const a = await jobberOrg('secret-of-business-a')
    const b = await jobberOrg('secret-of-business-b')
    const queue = captureQueue()
    expect((await jobber(a.id, 'secret-of-business-a')).status).toBe(200)
    expect((await jobber(b.id, 'secret-of-business-b')).status).toBe(200)
    const attack = await jobber(b.id, 'secret-of-business-a')
    expect(attack.status).toBe(401)
    expect(await receiptsOf(a.org)).toHaveLength(1)
    expect(await receiptsOf(b.org)).toHaveLength(1)
    expect(queue.queued.map((m) => m.organization_id)).toEqual([a.org.organizationId, b.org.organizationId])
    expect(rememberedTarget(b.id)?.organizationId).toBe(b.org.organizationId)
    queue.restore()
  })
})
