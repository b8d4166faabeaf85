/**
 * Email replies coming in: our emails' Reply-To names the business, Cloudflare Email Routing's
 * `email()` handler and Resend's signed `email.received` webhook file a reply on the client's
 * thread (quoted history dropped) and push it to a connected CRM; forged addresses, strangers,
 * bad signatures and replays file nothing.
 */
import { createExecutionContext, env } from 'cloudflare:test'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { app } from '../src/app'
import { replyAddress } from '../src/email/reply-address'
import worker from '../src/index'
import { orgStub } from '../src/organizations'
import { api, BASE, createClient, createOrg, type TestOrg, unique } from './helpers/factories'
import { connectJobber, json, signedInOwner, stubFetch, syncLogOf } from './helpers/integrations'
import { deliver, orgWithClient, outboxOf } from './helpers/messaging'

afterEach(() => vi.restoreAllMocks())

const DOMAIN = 'reply.homebase.test'
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const withEmail = { ...env, EMAIL_REPLY_DOMAIN: DOMAIN, RESEND_WEBHOOK_SECRET: SECRET, RESEND_API_KEY: 're_test_key' }

type Item = { direction: string; channel: string; body: string; subject?: string }
const thread = async (org: TestOrg, id: string) =>
  (await (await api(org, 'GET', `/api/v1/clients/${id}/conversation`)).json<{ items: Item[] }>()).items
const unread = async (org: TestOrg) =>
  (await (await api(org, 'GET', '/api/v1/inbox?unread=true')).json<{ items: Array<{ unread: number }> }>()).items

/** A raw reply as a mail client writes it: our question quoted below the answer. */
function rawReply(from: string, to: string, text: string, messageId = `<${unique()}@mail.example>`) {
  return [
    `From: Casey <${from}>`,
    `To: Sparkle Cleaning <${to}>`,
    'Subject: Re: Your visit',
    `Message-ID: ${messageId}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    text,
    '',
    'On Mon, Mar 2, 2026 at 9:00 AM Sparkle Cleaning <reminders@homebase.test> wrote:',
    '> Does Tuesday at 9 still work?',
    '',
  ].join('\r\n')
}

/** Hands a message to the Worker's `email()` handler as Email Routing would; returns why it was refused, if it was. */
async function route(from: string, to: string, raw: string, routeEnv: typeof withEmail = withEmail) {
  const bytes = new TextEncoder().encode(raw)
  const rejected: string[] = []
  const message = {
    from,
    to,
    raw: new Response(bytes).body!,
    rawSize: bytes.length,
    headers: new Headers(),
    setReject: (reason: string) => rejected.push(reason),
  }
  await worker.email(message as unknown as ForwardableEmailMessage, routeEnv)
  return rejected
}

/** An `email.received` delivery signed as Svix signs it (HMAC-SHA256 of `id.timestamp.body` under the secret). */
async function resendPost(body: string, opts: { id?: string; at?: number; secret?: string } = {}) {
  const id = opts.id ?? `msg_${unique()}`
  const timestamp = String(opts.at ?? Math.floor(Date.now() / 1000))
  const key = await crypto.subtle.importKey(
    'raw',
    Uint8Array.from(atob((opts.secret ?? SECRET).replace(/^whsec_/, '')), (c) => c.charCodeAt(0)),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${id}.${timestamp}.${body}`))
  const signature = `v1,${btoa(String.fromCharCode(...new Uint8Array(mac)))}`
  const req = new Request(`${BASE}/webhooks/email/resend`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'svix-id': id,
      'svix-timestamp': timestamp,
      'svix-signature': signature,
    },
    body,
  })
  return app.fetch(req, withEmail, createExecutionContext())
}

const received = (from: string, to: string, emailId = `em_${unique()}`) =>
  JSON.stringify({
    type: 'email.received',
    created_at: new Date().toISOString(),
    data: { email_id: emailId, from: `Casey <${from}>`, to: [to], subject: 'Re: Your quote', attachments: [] },
  })

/** Resend's Received Emails API, answering with the reply's text. */
function resendApi(text: string) {
  return stubFetch((call) =>
    call.url.startsWith('https://api.resend.com/emails/receiving/')
      ? json({ object: 'email', text: `${text}\n\n> quoted`, html: null })
      : undefined,
  )
}

describe('Reply-To of the email we send', () => {
  it("is the business's signed reply address, so an answer comes back to it", async () => {
    const { org, client, email } = await orgWithClient()
    const queued = await orgStub(env, org.organizationId).sendRequestedMessage(
      client.org_client_id,
      { channel: 'email', subject: 'Hello', body: 'Hi', purpose: 'one_off', dedupeKey: `t:${unique()}` },
      false,
    )
    if (!('id' in queued)) throw new Error('not queued')
    await deliver(org, [queued.id], 1, { EMAIL_REPLY_DOMAIN: DOMAIN })
    const [row] = await outboxOf(queued.id)
    const headers = JSON.parse((row as unknown as { headers: string }).headers) as Record<string, string>
    expect(headers['Reply-To']).toBe(await replyAddress(withEmail, org.organizationId, email!))
  })
})

describe('email() from Cloudflare Email Routing', () => {
  it("files the reply's own words on the client's thread, unread in the inbox, once per Message-ID", async () => {
    const { org, client, email } = await orgWithClient()
    const to = (await replyAddress(withEmail, org.organizationId, email!))!
    const raw = rawReply(email!, to, 'Tuesday at 9 is great.\r\nThanks!')
    expect(await route(email!, to, raw)).toEqual([])
    expect(await thread(org, client.org_client_id)).toEqual([
      expect.objectContaining({
        direction: 'in',
        channel: 'email',
        subject: 'Re: Your visit',
        body: 'Tuesday at 9 is great.\nThanks!',
      }),
    ])
    expect(await unread(org)).toMatchObject([{ unread: 1 }])
    // Delivered again (same Message-ID): nothing more.
    expect(await route(email!, to, raw)).toEqual([])
    expect(await thread(org, client.org_client_id)).toHaveLength(1)
  })

  it("files only where the sender is a client: a forged address names nobody, a stranger's signed one files nothing", async () => {
    const { org, client, email } = await orgWithClient()
    const stranger = await createOrg()
    // Not signed by us: with a reply domain set, mail without a signed address is nobody's.
    const forged = (await replyAddress({ ...withEmail, PORTAL_SIGNING_KEY: 'guessed' }, org.organizationId, email!))!
    expect(await route(email!, forged, rawReply(email!, forged, 'First'))).toEqual([
      'No business is waiting for a reply from this address.',
    ])
    // Signed for a business that does not hold the sender: refused, and never filed elsewhere.
    const theirs = (await replyAddress(withEmail, stranger.organizationId, email!))!
    expect(await route(email!, theirs, rawReply(email!, theirs, 'Second'))).toEqual([
      'The business has no client with this email address.',
    ])
    expect(await thread(org, client.org_client_id)).toEqual([])
    expect(await unread(stranger)).toEqual([])
  })

  it("takes a reply address only from the client it was sent to: another client can't forge a From: into a thread", async () => {
    const { org, client, email } = await orgWithClient()
    const mallory = `mallory-${unique()}@example.com`
    const attacker = await createClient(org, { first_name: 'Mallory', email: mallory })
    expect(attacker.org_client_id).not.toBe(client.org_client_id)
    // Mallory, a client too, got her own reply address and writes "from" Casey through it.
    const own = (await replyAddress(withEmail, org.organizationId, mallory))!
    const guessed = own.replace(/\.[0-9a-f]{20}@/, '.00000000000000000000@')
    for (const to of [own, guessed, 'reminders@homebase.test'])
      expect(await route(email!, to, rawReply(email!, to, 'Cancel all my visits'))).toEqual([
        'No business is waiting for a reply from this address.',
      ])
    expect(await thread(org, client.org_client_id)).toEqual([])
  })

  it('without a reply address, files on the one business holding the sender, and on none when two do', async () => {
    const email = `shared-${unique()}@example.com`
    const one = await createOrg()
    const mine = await createClient(one, { first_name: 'Jo', email })
    const to = 'reminders@homebase.test'
    // Our email carries no signed Reply-To without a reply domain, so answers come to EMAIL_FROM.
    const noDomain = { ...withEmail, EMAIL_REPLY_DOMAIN: '' }
    expect(await route(email, to, rawReply(email, to, 'Got it'), noDomain)).toEqual([])
    expect((await thread(one, mine.org_client_id)).map((i) => i.body)).toEqual(['Got it'])

    const two = await createOrg()
    const theirs = await createClient(two, { first_name: 'Jo', email })
    expect(await route(email, to, rawReply(email, to, 'Which business is this?'), noDomain)).toHaveLength(1)
    expect(await thread(one, mine.org_client_id)).toHaveLength(1)
    expect(await thread(two, theirs.org_client_id)).toEqual([])
  })

  it('pushes the reply to a connected CRM, as a received text is', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const connectionId = await connectJobber(staff, csrf, org)
    const email = `crm-${unique()}@example.com`
    const client = await createClient(org, {
      first_name: 'Casey',
      email,
      source: 'jobber',
      external_id: 'Z2lkOi8vSm9iYmVyL0NsaWVudC80Mg==',
    })
    const stub = stubFetch((call) =>
      call.body.includes('clientCreateNote')
        ? json({ data: { clientCreateNote: { clientNote: { id: 'n1' }, userErrors: [] } } })
        : undefined,
    )
    const to = (await replyAddress(withEmail, org.organizationId, email!))!
    await route(email, to, rawReply(email, to, 'Please bring the ladder'))
    await vi.waitFor(
      async () =>
        expect((await syncLogOf(org, connectionId)).filter((r) => r.step === 'push' && r.status === 'ok')).toHaveLength(
          1,
        ),
      { timeout: 8000, interval: 200 },
    )
    const note = stub.calls.find((c) => c.body.includes('clientCreateNote'))!
    expect(note.body).toContain('Please bring the ladder')
    expect(note.body).not.toContain('Does Tuesday at 9 still work?')
    expect(await thread(org, client.org_client_id)).toHaveLength(1)
  })
})

describe('POST /webhooks/email/resend', () => {
  it('files an email.received reply, reading its body from Resend, and a replayed svix-id files nothing', async () => {
    const { org, client, email } = await orgWithClient()
    const to = (await replyAddress(withEmail, org.organizationId, email!))!
    const stub = resendApi('Yes, the back door is open.')
    const body = received(email!, to, 'em_1')
    const res = await resendPost(body, { id: 'msg_replay_1' })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ ok: true, status: 'filed', org_client_id: client.org_client_id })
    expect(stub.to('https://api.resend.com/emails/receiving/em_1')[0]!.headers.get('authorization')).toBe(
      'Bearer re_test_key',
    )
    expect((await thread(org, client.org_client_id)).map((i) => [i.channel, i.body])).toEqual([
      ['email', 'Yes, the back door is open.'],
    ])

    const again = await resendPost(body, { id: 'msg_replay_1' })
    expect(again.status).toBe(200)
    expect(await again.json()).toMatchObject({ ok: true, duplicate: true })
    expect(stub.calls).toHaveLength(1)
    expect(await thread(org, client.org_client_id)).toHaveLength(1)
  })

  it('answers 401 to a bad signature or a stale timestamp, and stores nothing', async () => {
    const { org, client, email } = await orgWithClient()
    const to = (await replyAddress(withEmail, org.organizationId, email!))!
    const stub = resendApi('Sneaky')
    const wrongKey = 'whsec_QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE='
    expect((await resendPost(received(email!, to), { secret: wrongKey })).status).toBe(401)
    const stale = await resendPost(received(email!, to), { at: Math.floor(Date.now() / 1000) - 600 })
    expect(stale.status).toBe(401)
    expect(stub.calls).toEqual([])
    expect(await thread(org, client.org_client_id)).toEqual([])
  })

  it('acknowledges other events without filing anything', async () => {
    const { org, client } = await orgWithClient()
    const res = await resendPost(JSON.stringify({ type: 'email.delivered', data: { email_id: 'em_2' } }))
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ ok: true, ignored: 'email.delivered' })
    expect(await thread(org, client.org_client_id)).toEqual([])
  })
})
