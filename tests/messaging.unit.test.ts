import { describe, expect, it } from 'vitest'
import { classifyReply } from '../src/messaging/keywords'
import { oneLineSubject, sendCloudflareEmail, unsubscribeHeaders } from '../src/messaging/providers/email'
import { signPortalToken, verifyPortalToken } from '../src/messaging/portal-token'
import { isQuiet, nextAllowed } from '../src/messaging/quiet-hours'
import { zoneOfAddress } from '../src/messaging/recipient-zone'
import { emailHtml, render } from '../src/messaging/templates'
import { twilioSignature, verifyTwilioSignature } from '../src/messaging/twilio-signature'

const TOKEN = 'test_auth_token_0123456789abcdef'

describe('X-Twilio-Signature', () => {
  it("matches Twilio's documented example", async () => {
    const params: Array<[string, string]> = [
      ['CallSid', 'CA1234567890ABCDE'],
      ['Caller', '+12349013030'],
      ['Digits', '1234'],
      ['From', '+12349013030'],
      ['To', '+18005551212'],
    ]
    expect(await twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', params)).toBe(
      '0/KCTR6DLpKmkAf8muzZqo1nDgQ=',
    )
  })

  it('matches the vector computed by the twilio library for an inbound STOP', async () => {
    const sms = {
      ToCountry: 'US',
      ToState: 'CO',
      SmsMessageSid: 'SM00000000000000000000000000000001',
      NumMedia: '0',
      ToCity: 'DENVER',
      FromZip: '80202',
      SmsSid: 'SM00000000000000000000000000000001',
      FromState: 'CO',
      SmsStatus: 'received',
      FromCity: 'DENVER',
      Body: 'STOP',
      FromCountry: 'US',
      To: '+13035550100',
      MessagingServiceSid: 'MG00000000000000000000000000000001',
      ToZip: '80202',
      NumSegments: '1',
      MessageSid: 'SM00000000000000000000000000000001',
      AccountSid: 'AC00000000000000000000000000000001',
      From: '+13035550199',
      ApiVersion: '2010-04-01',
    }
    const url = 'https://api.example.com/webhooks/twilio/sms/tenant_abc'
    expect(await twilioSignature(TOKEN, url, Object.entries(sms))).toBe('CQRYeUlUOdUgtjYqOtygLy5mlDY=')
    expect(await verifyTwilioSignature(TOKEN, 'CQRYeUlUOdUgtjYqOtygLy5mlDY=', url, Object.entries(sms))).toBe(true)
    expect(
      await verifyTwilioSignature(
        TOKEN,
        'CQRYeUlUOdUgtjYqOtygLy5mlDY=',
        url,
        Object.entries({ ...sms, Body: 'START' }),
      ),
    ).toBe(false)
    expect(await verifyTwilioSignature(TOKEN, undefined, url, Object.entries(sms))).toBe(false)
  })

  it('matches the status-callback vector, also when the URL carries the default port', async () => {
    const sc = {
      AccountSid: 'AC00000000000000000000000000000001',
      ApiVersion: '2010-04-01',
      From: '+13035550100',
      MessageSid: 'SM00000000000000000000000000000002',
      MessageStatus: 'delivered',
      SmsSid: 'SM00000000000000000000000000000002',
      SmsStatus: 'delivered',
      To: '+13035550199',
    }
    expect(
      await verifyTwilioSignature(
        TOKEN,
        'NATdAohEmavAItixHT1r3+DBwr8=',
        'https://api.example.com:443/webhooks/twilio/status/tenant_abc',
        Object.entries(sc),
      ),
    ).toBe(true)
  })
})

describe('oneLineSubject', () => {
  it('folds every line break and control whitespace into one space, so a subject is one header line', () => {
    expect(oneLineSubject('Your quote\r\nBcc: everyone@example.com')).toBe('Your quote Bcc: everyone@example.com')
    expect(oneLineSubject('  Spring\topenings\n')).toBe('Spring openings')
    expect(oneLineSubject(null)).toBe('')
  })
})

describe('classifyReply', () => {
  it.each(['STOP', 'stop', ' Stop. ', 'STOPALL', 'unsubscribe', 'Cancel', 'END', 'quit', 'REVOKE', 'optout'])(
    'reads %j as an opt-out',
    (body) => {
      expect(classifyReply(body)).toBe('opt_out')
    },
  )
  it.each(['START', 'yes', 'Unstop'])('reads %j as an opt-in', (body) => expect(classifyReply(body)).toBe('opt_in'))
  it.each(['HELP', 'info'])('reads %j as help', (body) => expect(classifyReply(body)).toBe('help'))
  it.each(['STOP PLEASE', 'please stop', 'Yes see you then', 'ok', ''])('reads %j as an ordinary reply', (body) =>
    expect(classifyReply(body)).toBeNull(),
  )
})

describe('quiet hours', () => {
  const quiet = { start: '21:00', end: '08:00' }
  it('are evaluated on the recipient clock, across midnight', () => {
    expect(isQuiet(new Date('2026-06-01T04:00:00Z'), 'America/Los_Angeles', quiet)).toBe(true) // 21:00 PDT
    expect(isQuiet(new Date('2026-06-01T03:59:00Z'), 'America/Los_Angeles', quiet)).toBe(false) // 20:59
    expect(isQuiet(new Date('2026-06-01T14:59:00Z'), 'America/Los_Angeles', quiet)).toBe(true) // 07:59
    expect(isQuiet(new Date('2026-06-01T15:00:00Z'), 'America/Los_Angeles', quiet)).toBe(false) // 08:00
  })

  it('defer to the next 08:00 local, spread over five minutes', () => {
    const at = nextAllowed(new Date('2026-06-01T05:30:00Z'), 'America/Los_Angeles', quiet, 'msg-1') // 22:30 PDT
    expect(at.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-06-01T15:00:00Z'))
    expect(at.getTime()).toBeLessThan(Date.parse('2026-06-01T15:05:00Z'))
    expect(nextAllowed(new Date('2026-06-01T05:30:00Z'), 'America/Los_Angeles', quiet, 'msg-1')).toEqual(at)
    const spread = new Set(
      Array.from({ length: 50 }, (_, i) =>
        nextAllowed(new Date('2026-06-01T05:30:00Z'), 'America/Los_Angeles', quiet, `m${i}`).getTime(),
      ),
    )
    expect(spread.size).toBeGreaterThan(20)
  })

  it('follow daylight saving time changes', () => {
    // Spring forward in New York on 2026-03-08: 08:00 EDT is 12:00 UTC (the day before it was 13:00 UTC).
    const spring = nextAllowed(new Date('2026-03-08T05:00:00Z'), 'America/New_York', quiet, 'k')
    expect(spring.getTime() - Date.parse('2026-03-08T12:00:00Z')).toBeLessThan(300_000)
    expect(spring.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-03-08T12:00:00Z'))
    // Fall back on 2026-11-01: 08:00 EST is 13:00 UTC.
    const fall = nextAllowed(new Date('2026-11-01T06:00:00Z'), 'America/New_York', quiet, 'k')
    expect(fall.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-11-01T13:00:00Z'))
    expect(fall.getTime()).toBeLessThan(Date.parse('2026-11-01T13:05:00Z'))
  })

  it('let a message through at once outside quiet hours', () => {
    const noon = new Date('2026-06-01T19:00:00Z')
    expect(nextAllowed(noon, 'America/Los_Angeles', quiet, 'x')).toEqual(noon)
  })
})

describe('templates, zones and portal links', () => {
  it('fills placeholders and drops unknown ones', () => {
    expect(
      render('Hi {{first_name}}, {{business_name}} {{nope}}here', { first_name: 'Ann', business_name: 'Sparkle' }),
    ).toBe('Hi Ann, Sparkle here')
  })
  it('escapes email HTML and links URLs', () => {
    expect(emailHtml('A <b> & see https://x.test/p/abc\n\nBye')).toBe(
      '<p>A &#60;b&#62; &#38; see <a href="https://x.test/p/abc">https://x.test/p/abc</a></p>\n<p>Bye</p>',
    )
  })
  it('knows the zone of a US state and a Canadian province', () => {
    expect(zoneOfAddress({ state: 'ca', country: 'US' })).toBe('America/Los_Angeles')
    expect(zoneOfAddress({ state: 'QC', country: 'CA' })).toBe('America/Toronto')
    expect(zoneOfAddress({ state: 'Bavaria', country: 'DE' })).toBeNull()
  })
  it('signs portal links that expire and cannot be altered', async () => {
    const token = await signPortalToken('k', 'org-1', 'client-1', 30, Date.parse('2026-01-01T00:00:00Z'))
    expect(await verifyPortalToken('k', token, Date.parse('2026-01-15T00:00:00Z'))).toMatchObject({
      o: 'org-1',
      c: 'client-1',
    })
    expect(await verifyPortalToken('k', token, Date.parse('2026-03-01T00:00:00Z'))).toBeNull()
    expect(await verifyPortalToken('other', token, Date.parse('2026-01-15T00:00:00Z'))).toBeNull()
    const [payload, sig] = token.split('.')
    expect(await verifyPortalToken('k', `${payload}x.${sig}`, Date.parse('2026-01-15T00:00:00Z'))).toBeNull()
  })
})

describe('email providers', () => {
  const message = {
    id: 'msg-1',
    organizationId: 'org-1',
    channel: 'email' as const,
    to: 'ann@example.com',
    from: 'Sparkle <hi@sparkle.test>',
    subject: 'Spring offer',
    body: 'Hi Ann\n\nBook now: https://x.test/b',
    transactional: false,
    unsubscribeUrl: 'https://x.test/u/1',
  }

  it('put List-Unsubscribe headers on marketing email only', () => {
    expect(unsubscribeHeaders(message)).toEqual({
      'List-Unsubscribe': '<https://x.test/u/1>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    })
    expect(unsubscribeHeaders({ ...message, transactional: true })).toEqual({})
  })

  it("send through Cloudflare's send_email binding with text, HTML and headers", async () => {
    const sent: unknown[] = []
    const binding = {
      send: async (m: unknown) => {
        sent.push(m)
        return { messageId: 'cf-123' }
      },
    }
    expect(await sendCloudflareEmail(binding, message)).toEqual({ providerMessageId: 'cf-123', provider: 'cloudflare' })
    expect(sent[0]).toMatchObject({
      from: message.from,
      to: 'ann@example.com',
      subject: 'Spring offer',
      text: message.body,
      headers: { 'List-Unsubscribe': '<https://x.test/u/1>' },
    })
    expect((sent[0] as { html: string }).html).toContain('<a href="https://x.test/b">')
  })

  it('treat a binding failure as one to retry', async () => {
    const binding = {
      send: async () => {
        throw new Error('rate limited')
      },
    }
    await expect(sendCloudflareEmail(binding, message)).rejects.toMatchObject({ permanent: false })
  })
})
