/** Reading email replies: Svix signatures (Resend), MIME parts and encodings, quoted history, signed reply addresses. */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { parseEmail } from '../src/email/mime'
import { organizationOfReplyAddress, replyAddress } from '../src/email/reply-address'
import { htmlToText, replyText } from '../src/email/reply-text'
import { verifySvix } from '../src/email/svix'

const enc = new TextEncoder()

describe('verifySvix', () => {
  // The Svix/Resend vector of PROVIDERS.md, made with the svix library.
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
  const body = enc.encode('{"type":"email.bounced","created_at":"2024-01-01T00:00:00.000Z","data":{"email_id":"e_1"}}')
  const headers = {
    id: 'msg_test_1',
    timestamp: '1700000000',
    signature: 'v1,bc+KUByRvh7+c+dUvx7rnvFnXZGBHoAcmjcKMX6kuYE=',
  }

  it("accepts the library's signature within 300 s either way, among several", async () => {
    expect(await verifySvix(body, headers, secret, 1700000000 + 299)).toEqual({ ok: true })
    expect(await verifySvix(body, headers, secret, 1700000000 - 299)).toEqual({ ok: true })
    const several = { ...headers, signature: `v1,AAAA v1a,xyz ${headers.signature}` }
    expect(await verifySvix(body, several, secret, 1700000000)).toEqual({ ok: true })
  })

  it('refuses a changed body, another id, a stale or future timestamp and a missing header', async () => {
    expect(await verifySvix(enc.encode('{}'), headers, secret, 1700000000)).toMatchObject({ reason: 'bad_signature' })
    expect(await verifySvix(body, { ...headers, id: 'msg_test_2' }, secret, 1700000000)).toMatchObject({
      reason: 'bad_signature',
    })
    expect(await verifySvix(body, headers, secret, 1700000000 + 301)).toMatchObject({ reason: 'stale_timestamp' })
    expect(await verifySvix(body, headers, secret, 1700000000 - 301)).toMatchObject({ reason: 'stale_timestamp' })
    expect(await verifySvix(body, { ...headers, signature: null }, secret, 1700000000)).toMatchObject({
      reason: 'missing_signature',
    })
  })
})

describe('parseEmail', () => {
  it('reads the plain part of a multipart/alternative reply, quoted-printable, and an encoded subject', () => {
    const raw = [
      'From: =?UTF-8?Q?Ren=C3=A9e?= <renee@example.com>',
      'To: reply+abc@reply.example',
      'Subject: =?UTF-8?B?UmU6IFlvdXIgdmlzaXQg4pyU?=',
      'Message-ID: <abc@mail.example>',
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      'preamble',
      '--b1',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Caf=C3=A9 at 3 is fine, a long line that=',
      ' wraps.',
      '--b1',
      'Content-Type: text/html; charset=UTF-8',
      '',
      '<p>Café at 3 is fine</p>',
      '--b1--',
      '',
    ].join('\r\n')
    const mail = parseEmail(raw)
    expect(mail.header('subject')).toBe('Re: Your visit ✔')
    expect(mail.header('from')).toBe('Renée <renee@example.com>')
    expect(mail.text).toBe('Café at 3 is fine, a long line that wraps.')
    expect(mail.html).toBe('<p>Café at 3 is fine</p>')
  })

  it('finds the text inside multipart/mixed, base64 in latin-1, and skips attachments', () => {
    const raw = [
      'From: a@example.com',
      'Content-Type: multipart/mixed; boundary=outer',
      '',
      '--outer',
      'Content-Type: text/plain; name="notes.txt"',
      'Content-Disposition: attachment; filename="notes.txt"',
      '',
      'not the reply',
      '--outer',
      'Content-Type: text/plain; charset=iso-8859-1',
      'Content-Transfer-Encoding: base64',
      '',
      btoa('Voil\xe0, merci'),
      '--outer--',
    ].join('\n')
    expect(parseEmail(raw).text).toBe('Voilà, merci')
  })
})

describe('replyText', () => {
  it('drops Gmail\'s wrapped "On … wrote:" history and > lines', () => {
    const text = [
      'Tuesday works, thanks!',
      '',
      'On Mon, Mar 2, 2026 at 9:00 AM Sparkle Cleaning <',
      'reply+x@reply.example> wrote:',
      '> Can we come Tuesday?',
    ].join('\n')
    expect(replyText(text)).toBe('Tuesday works, thanks!')
  })

  it('drops Outlook\'s header block, signatures and "Sent from my iPhone"', () => {
    const outlook = ['See you then.', '', 'From: Sparkle Cleaning', 'Sent: Monday', 'To: Casey', 'Subject: Visit'].join(
      '\n',
    )
    expect(replyText(outlook)).toBe('See you then.')
    expect(replyText('Yes please\n\nSent from my iPhone')).toBe('Yes please')
    expect(replyText('Sure\n-- \nCasey Lee\n555-0100')).toBe('Sure')
    expect(replyText('> only a quote')).toBe('> only a quote')
  })

  it('turns an HTML reply into text, without the quoted part', () => {
    const html =
      '<html><head><style>p{}</style></head><body><div>Works for me &amp; my wife.<br>Thanks</div>' +
      '<div class="gmail_quote">On Mon … wrote:<blockquote>old</blockquote></div></body></html>'
    expect(htmlToText(html)).toBe('Works for me & my wife.\nThanks')
  })
})

describe('reply addresses', () => {
  const domain = { ...env, EMAIL_REPLY_DOMAIN: 'Reply.HomeBase.test' }
  const orgId = crypto.randomUUID()

  const client = 'dana@example.com'

  it('name the organization, signed for the address the email went to, in at most 64 characters before the @', async () => {
    const address = (await replyAddress(domain, orgId, client))!
    expect(address).toMatch(/^reply\+[0-9a-f]{32}\.[0-9a-f]{20}@reply\.homebase\.test$/)
    expect(address.split('@')[0]!.length).toBeLessThanOrEqual(64)
    expect(await organizationOfReplyAddress(env, address, client)).toBe(orgId)
    expect(await organizationOfReplyAddress(env, address.toUpperCase(), 'DANA@example.com')).toBe(orgId)
    expect(await replyAddress({ ...env, EMAIL_REPLY_DOMAIN: '' }, orgId, client)).toBeNull()
    // Good only for answers from that address: another client of the business cannot reuse theirs.
    expect(await organizationOfReplyAddress(env, address, 'someone.else@example.com')).toBeNull()
    expect(await replyAddress(domain, orgId, 'someone.else@example.com')).not.toBe(address)
  })

  it('still read when signed with a retired key, never when forged', async () => {
    const old = { EMAIL_REPLY_DOMAIN: 'reply.homebase.test', PORTAL_SIGNING_KEY: 'test-old-portal-signing-key' }
    expect(await organizationOfReplyAddress(env, (await replyAddress(old, orgId, client))!, client)).toBe(orgId)
    const other = { ...old, PORTAL_SIGNING_KEY: 'a key we never had' }
    expect(await organizationOfReplyAddress(env, (await replyAddress(other, orgId, client))!, client)).toBeNull()
    const address = (await replyAddress(domain, orgId, client))!
    const otherOrg = crypto.randomUUID().replace(/-/g, '')
    expect(await organizationOfReplyAddress(env, address.replace(/\+[0-9a-f]{32}/, `+${otherOrg}`), client)).toBeNull()
  })
})
