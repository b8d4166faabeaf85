/**
 * Conversations through the API: one-off messages from staff (consent checked, quiet hours not),
 * a client's thread with texts and emails both ways and their delivery status, the inbox's
 * unread counts and marking read, and another business's ids being simply not found.
 */
import { env } from 'cloudflare:test'
import { describe, expect, it, vi } from 'vitest'
import { api, createClient, createOrg, type TestOrg } from './helpers/factories'
import { deliver, messagesOf, orgWithClient, textIn, twilioPost } from './helpers/messaging'

type Item = { id: string; direction: 'in' | 'out'; channel: string; body: string; status?: string; subject?: string }
type InboxRow = { org_client_id: string; unread: number; last_message: Item }

const send = (org: TestOrg, id: string, body: unknown) => api(org, 'POST', `/api/v1/clients/${id}/messages`, body)
const thread = async (org: TestOrg, id: string) =>
  (await (await api(org, 'GET', `/api/v1/clients/${id}/conversation`)).json<{ items: Item[] }>()).items
const inbox = async (org: TestOrg, query = '') =>
  (await (await api(org, 'GET', `/api/v1/inbox${query}`)).json<{ items: InboxRow[] }>()).items

describe('POST /api/v1/clients/{id}/messages', () => {
  it('texts the client now, even inside quiet hours, as a one-off message', async () => {
    const { org, client, phone } = await orgWithClient({ quiet: { start: '00:00', end: '23:59' } })
    const res = await send(org, client.org_client_id, { channel: 'sms', body: 'Your gate code please?' })
    expect(res.status).toBe(201)
    const { message_id } = await res.json<{ message_id: string }>()
    const [sent] = await messagesOf(org, '?purpose=one_off')
    expect(sent).toMatchObject({ id: message_id, channel: 'sms', to: phone, body: 'Your gate code please?' })
    // Transactional: no "Reply STOP" line added, and not held for quiet hours.
    expect(sent!.status).toMatch(/queued|sent/)
    expect(sent!.send_after).toBeNull()
  })

  it('emails with a subject, "Message from {business}" when none is given', async () => {
    const { org, client, email } = await orgWithClient()
    expect((await send(org, client.org_client_id, { channel: 'email', body: 'Invoice attached.' })).status).toBe(201)
    expect(
      (await send(org, client.org_client_id, { channel: 'email', subject: 'Your quote', body: 'See below.' })).status,
    ).toBe(201)
    const sent = await messagesOf(org, '?purpose=one_off')
    expect(sent.map((m) => [m.to, m.subject]).sort()).toEqual([
      [email, 'Message from Sparkle Cleaning'],
      [email, 'Your quote'],
    ])
  })

  it('refuses a subject with a line break, which could start a header of its own (400, nothing sent)', async () => {
    const { org, client } = await orgWithClient()
    const res = await send(org, client.org_client_id, {
      channel: 'email',
      subject: 'Your quote\r\nBcc: everyone@example.com',
      body: 'See below.',
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_input' } })
    expect(await messagesOf(org, '?purpose=one_off')).toEqual([])
  })

  it('sends nothing to a client who opted out, and says why (409 not_sent)', async () => {
    const { org, client } = await orgWithClient()
    await api(org, 'POST', `/api/v1/clients/${client.org_client_id}/consents`, {
      sms_opt_in: false,
      reason: 'asked by phone',
    })
    const res = await send(org, client.org_client_id, { channel: 'sms', body: 'Hello?' })
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({
      error: { code: 'not_sent', message: 'Not sent: the client has opted out of texts.' },
    })
    const noEmail = await orgWithClient({ email: null })
    const res2 = await send(noEmail.org, noEmail.client.org_client_id, { channel: 'email', body: 'Hello?' })
    expect(res2.status).toBe(409)
    expect((await res2.json<{ error: { message: string } }>()).error.message).toBe(
      'Not sent: the client has no email address on file.',
    )
    expect(await messagesOf(org)).toEqual([])
    expect(await messagesOf(noEmail.org)).toEqual([])
  })

  it('refuses a text over 1600 characters, an unknown channel and an empty body', async () => {
    const { org, client } = await orgWithClient()
    for (const body of [
      { channel: 'sms', body: 'x'.repeat(1601) },
      { channel: 'fax', body: 'hi' },
      { channel: 'sms', body: '   ' },
    ]) {
      expect((await send(org, client.org_client_id, body)).status).toBe(400)
    }
    expect(await messagesOf(org)).toEqual([])
  })

  it("is not found for another business's client, and sends nothing", async () => {
    const { org, client } = await orgWithClient()
    const stranger = await createOrg()
    const res = await send(stranger, client.org_client_id, { channel: 'sms', body: 'Hi from a stranger' })
    expect(res.status).toBe(404)
    expect((await api(stranger, 'GET', `/api/v1/clients/${client.org_client_id}/conversation`)).status).toBe(404)
    expect(await messagesOf(org)).toEqual([])
    expect(await messagesOf(stranger)).toEqual([])
  })
})

describe('GET /api/v1/clients/{id}/conversation', () => {
  it('threads texts and emails both ways, oldest first, with what happened to ours', async () => {
    const { org, client, phone } = await orgWithClient()
    const id = client.org_client_id
    const sms = await (await send(org, id, { channel: 'sms', body: 'Running 10 min late' })).json<{
      message_id: string
    }>()
    await deliver(org, [sms.message_id])
    const sent = await vi.waitFor(
      async () => {
        const [m] = await messagesOf(org, '?channel=sms')
        expect(m?.status).toBe('sent')
        return m!
      },
      { timeout: 5000, interval: 100 },
    )
    // Twilio says it was delivered.
    await twilioPost('/webhooks/twilio/status', {
      MessageSid: sent.provider_message_id!,
      MessageStatus: 'delivered',
      AccountSid: env.TWILIO_ACCOUNT_SID!,
    })
    expect((await textIn(phone!, 'No problem, see you soon')).status).toBe(200)
    await send(org, id, { channel: 'email', subject: 'Receipt', body: 'Thanks for today.' })

    const items = await thread(org, id)
    expect(items.map((i) => [i.direction, i.channel, i.body])).toEqual([
      ['out', 'sms', 'Running 10 min late'],
      ['in', 'sms', 'No problem, see you soon'],
      ['out', 'email', 'Thanks for today.'],
    ])
    expect(items[0]).toMatchObject({ id: sms.message_id, status: 'delivered' })
    expect(items[1]!.status).toBeUndefined()
    expect(items[2]).toMatchObject({ subject: 'Receipt', status: expect.stringMatching(/queued|sent/) })
  })
})

describe('GET /api/v1/inbox and POST /api/v1/inbox/{id}/read', () => {
  it('counts replies since the thread was last read, and marking read clears them', async () => {
    const { org, client, phone } = await orgWithClient()
    await textIn(phone!, 'Is Tuesday ok?')
    await textIn(phone!, 'Or Wednesday?')
    const [row] = await inbox(org, '?unread=true')
    expect(row).toMatchObject({
      org_client_id: client.org_client_id,
      unread: 2,
      last_message: { direction: 'in', channel: 'sms', body: 'Or Wednesday?' },
    })

    const read = await api(org, 'POST', `/api/v1/inbox/${client.org_client_id}/read`)
    expect(read.status).toBe(200)
    expect(await inbox(org, '?unread=true')).toEqual([])
    expect(await inbox(org)).toMatchObject([{ org_client_id: client.org_client_id, unread: 0 }])

    await textIn(phone!, 'Wednesday works better')
    expect(await inbox(org, '?unread=true')).toMatchObject([{ unread: 1 }])
  })

  it('lists the latest conversation first; STOP and HELP are no replies to read', async () => {
    const org = await createOrg()
    const phones = [1, 2].map(() => `+1415555${String(1000 + Math.floor(Math.random() * 8999))}`)
    const a = await createClient(org, { first_name: 'Ann', phone: phones[0] })
    const b = await createClient(org, { first_name: 'Ben', phone: phones[1] })
    await textIn(phones[0]!, 'First!')
    await textIn(phones[1]!, 'Second')
    expect((await inbox(org)).map((r) => r.org_client_id)).toEqual([b.org_client_id, a.org_client_id])

    await send(org, a.org_client_id, { channel: 'sms', body: 'Thanks Ann' })
    expect((await inbox(org)).map((r) => r.org_client_id)).toEqual([a.org_client_id, b.org_client_id])
    expect((await inbox(org))[0]!.last_message).toMatchObject({ direction: 'out', body: 'Thanks Ann' })

    await api(org, 'POST', `/api/v1/inbox/${b.org_client_id}/read`)
    await textIn(phones[1]!, 'STOP')
    expect(await inbox(org, '?unread=true')).toMatchObject([{ org_client_id: a.org_client_id }])
    // The STOP is still in Ben's thread.
    expect((await thread(org, b.org_client_id)).map((i) => i.body)).toEqual(['Second', 'STOP'])
  })

  it("is not found for another business's client and shows nothing of theirs", async () => {
    const { org, client, phone } = await orgWithClient()
    const stranger = await createOrg()
    await textIn(phone!, 'Hello there')
    const res = await api(stranger, 'POST', `/api/v1/inbox/${client.org_client_id}/read`)
    expect(res.status).toBe(404)
    expect(await inbox(stranger)).toEqual([])
    expect(await inbox(org, '?unread=true')).toMatchObject([{ unread: 1 }])
    expect((await api(org, 'GET', '/api/v1/inbox?unread=maybe')).status).toBe(400)
  })
})
