import { env, SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { Staff } from './helpers/browserless'
import { BASE } from './helpers/factories'
import { bookJob, deliver, messagesOf, orgWithClient, decideAt } from './helpers/messaging'

describe('/dev/outbox and the portal link', () => {
  it('shows the owner their sent messages with the portal link clickable, and the link opens the portal', async () => {
    const { org, client, phone } = await orgWithClient()
    await bookJob(org, client.org_client_id, '2030-06-10T19:00:00Z')
    await decideAt(org, new Date('2030-06-09T19:00:30Z'))
    const [message] = await messagesOf(org)
    await deliver(org, [message!.id])
    expect((await messagesOf(org, `?to=${encodeURIComponent(phone!)}&channel=sms`)).map((m) => m.id)).toEqual([
      message!.id,
    ])
    expect(await messagesOf(org, '?channel=email')).toEqual([])

    const owner = new Staff()
    await owner.post('/login', { email: org.email, password: org.password })
    const html = await (await owner.get('/dev/outbox')).text()
    const link = html.match(/<a href="(https:\/\/homebase\.test\/p\/[^"]+)">/)?.[1]
    expect(link).toBeDefined()
    expect(html).toContain(phone!)

    const portal = await SELF.fetch(link!.replace('https://homebase.test', BASE))
    expect(portal.status).toBe(200)
    expect(await portal.text()).toContain('Hi Casey')
    expect((await SELF.fetch(`${BASE}/p/not-a-token`)).status).toBe(404)
  })

  it("is closed to visitors outside local development, and an owner sees only their own business's messages", async () => {
    expect(env.APP_ENV).toBe('test')
    expect((await SELF.fetch(`${BASE}/dev/outbox`, { redirect: 'manual' })).status).toBe(303)
    const a = await orgWithClient()
    await bookJob(a.org, a.client.org_client_id, '2030-06-10T19:00:00Z')
    await decideAt(a.org, new Date('2030-06-09T19:00:30Z'))
    await deliver(
      a.org,
      (await messagesOf(a.org)).map((m) => m.id),
    )
    const b = await orgWithClient()
    const staff = new Staff()
    await staff.post('/login', { email: b.org.email, password: b.org.password })
    const html = await (await staff.get('/dev/outbox')).text()
    expect(html).toContain('Outbox')
    expect(html).not.toContain(a.phone!)
  })
})
