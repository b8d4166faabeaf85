import { describe, expect, it } from 'vitest'
import { decide, DEFAULT_CONSENT, type MessageFacts } from '../src/messaging/decision'
import { nextAllowed } from '../src/messaging/quiet-hours'

const ZONE = 'America/Denver'
const NIGHT = { start: '21:00', end: '08:00' }
// 23:00 in Denver (UTC-6 in June): inside the night's quiet hours.
const LATE = new Date('2030-06-10T05:00:00Z')
// 12:00 in Denver: outside them.
const NOON = new Date('2030-06-10T18:00:00Z')

/** A marketing text at noon to someone who may get it: queued unless a test changes a fact. */
const facts = (over: Partial<MessageFacts> = {}): MessageFacts => ({
  now: NOON,
  channel: 'sms',
  recipient: { to: '+13035550100' },
  consent: DEFAULT_CONSENT,
  transactional: false,
  hasUnsubscribeLink: true,
  quiet: { hours: NIGHT, zone: ZONE, spreadKey: 'message-1' },
  capFrees: null,
  whenCapped: 'defer',
  ...over,
})

describe('decide', () => {
  it('queues a message that may go now', () => {
    expect(decide(facts())).toEqual({ status: 'queued' })
    expect(decide(facts({ channel: 'email', recipient: { to: 'pat@example.com' } }))).toEqual({ status: 'queued' })
  })

  it('skips a client who is gone', () => {
    expect(decide(facts({ recipient: null }))).toEqual({ status: 'skipped', reason: 'client_deleted' })
  })

  it('skips a channel the client has no address on', () => {
    expect(decide(facts({ recipient: { to: null } }))).toEqual({ status: 'skipped', reason: 'no_phone' })
    expect(decide(facts({ channel: 'email', recipient: { to: null } }))).toEqual({
      status: 'skipped',
      reason: 'no_email',
    })
  })

  it('skips a channel the person opted out of, transactional or not', () => {
    const noTexts = { ...DEFAULT_CONSENT, sms_opt_in: false }
    expect(decide(facts({ consent: noTexts }))).toEqual({ status: 'skipped', reason: 'opted_out' })
    expect(decide(facts({ consent: noTexts, transactional: true }))).toEqual({ status: 'skipped', reason: 'opted_out' })
    expect(decide(facts({ consent: noTexts, channel: 'email', recipient: { to: 'pat@example.com' } }))).toEqual({
      status: 'queued',
    })
    const noEmail = { ...DEFAULT_CONSENT, email_opt_in: false }
    expect(decide(facts({ consent: noEmail, channel: 'email', recipient: { to: 'pat@example.com' } }))).toEqual({
      status: 'skipped',
      reason: 'opted_out',
    })
  })

  it('skips marketing email for someone who unsubscribed, but not a reminder or a text', () => {
    const unsubscribed = { ...DEFAULT_CONSENT, marketing_email_opt_in: false }
    const email = { channel: 'email' as const, recipient: { to: 'pat@example.com' }, consent: unsubscribed }
    expect(decide(facts(email))).toEqual({ status: 'skipped', reason: 'unsubscribed' })
    expect(decide(facts({ ...email, transactional: true }))).toEqual({ status: 'queued' })
    expect(decide(facts({ consent: unsubscribed }))).toEqual({ status: 'queued' })
  })

  it('skips marketing email without an unsubscribe link', () => {
    const email = { channel: 'email' as const, recipient: { to: 'pat@example.com' }, hasUnsubscribeLink: false }
    expect(decide(facts(email))).toEqual({ status: 'skipped', reason: 'no_unsubscribe_link' })
    expect(decide(facts({ ...email, transactional: true }))).toEqual({ status: 'queued' })
    expect(decide(facts({ hasUnsubscribeLink: false }))).toEqual({ status: 'queued' })
  })

  it('skips a capped campaign send, even in quiet hours', () => {
    const capFrees = new Date('2030-06-11T01:00:00Z')
    expect(decide(facts({ capFrees, whenCapped: 'skip' }))).toEqual({ status: 'skipped', reason: 'capped' })
    expect(decide(facts({ capFrees, whenCapped: 'skip', now: LATE }))).toEqual({ status: 'skipped', reason: 'capped' })
  })

  it('defers a capped journey message until the cap frees', () => {
    const capFrees = new Date('2030-06-11T01:00:00Z')
    expect(decide(facts({ capFrees }))).toEqual({
      status: 'deferred',
      until: capFrees,
      reason: 'cap until 2030-06-11T01:00:00.000Z',
    })
  })

  it('ignores the cap for transactional messages', () => {
    expect(
      decide(facts({ capFrees: new Date('2030-06-11T01:00:00Z'), whenCapped: 'skip', transactional: true })),
    ).toEqual({ status: 'queued' })
  })

  it("defers a message in quiet hours until they end on the recipient's clock, plus its spread", () => {
    const until = nextAllowed(LATE, ZONE, NIGHT, 'message-1')
    // 08:00 in Denver is 14:00 UTC; the spread adds under five minutes.
    expect(until.getTime() - Date.parse('2030-06-10T14:00:00Z')).toBeGreaterThanOrEqual(0)
    expect(until.getTime() - Date.parse('2030-06-10T14:00:00Z')).toBeLessThan(5 * 60_000)
    expect(decide(facts({ now: LATE }))).toEqual({
      status: 'deferred',
      until,
      reason: `quiet_hours until ${until.toISOString()}`,
    })
    expect(decide(facts({ now: LATE, transactional: true }))).toEqual({
      status: 'deferred',
      until,
      reason: `quiet_hours until ${until.toISOString()}`,
    })
  })

  it('sends at once what has no quiet hours (a code the homeowner asked for, a staff alert)', () => {
    expect(decide(facts({ now: LATE, quiet: null, transactional: true }))).toEqual({ status: 'queued' })
  })

  it('defers until the later of quiet hours and the cap, naming which', () => {
    const quietEnds = nextAllowed(LATE, ZONE, NIGHT, 'message-1')
    const early = new Date(quietEnds.getTime() - 3_600_000)
    const late = new Date(quietEnds.getTime() + 3_600_000)
    expect(decide(facts({ now: LATE, capFrees: early }))).toEqual({
      status: 'deferred',
      until: quietEnds,
      reason: `quiet_hours until ${quietEnds.toISOString()}`,
    })
    expect(decide(facts({ now: LATE, capFrees: late }))).toEqual({
      status: 'deferred',
      until: late,
      reason: `cap until ${late.toISOString()}`,
    })
    expect(decide(facts({ now: LATE, capFrees: quietEnds }))).toEqual({
      status: 'deferred',
      until: quietEnds,
      reason: `cap until ${quietEnds.toISOString()}`,
    })
  })

  it('checks in order: address, consent, unsubscribe, link, cap', () => {
    const everything = facts({
      channel: 'email',
      recipient: { to: null },
      consent: { email_opt_in: false, sms_opt_in: false, marketing_email_opt_in: false },
      hasUnsubscribeLink: false,
      capFrees: new Date('2030-06-11T01:00:00Z'),
      whenCapped: 'skip',
    })
    expect(decide(everything)).toEqual({ status: 'skipped', reason: 'no_email' })
    expect(decide({ ...everything, recipient: { to: 'pat@example.com' } })).toEqual({
      status: 'skipped',
      reason: 'opted_out',
    })
    const allowed = {
      ...everything,
      recipient: { to: 'pat@example.com' },
      consent: { email_opt_in: true, sms_opt_in: false, marketing_email_opt_in: false },
    }
    expect(decide(allowed)).toEqual({ status: 'skipped', reason: 'unsubscribed' })
    expect(decide({ ...allowed, consent: DEFAULT_CONSENT })).toEqual({
      status: 'skipped',
      reason: 'no_unsubscribe_link',
    })
    expect(decide({ ...allowed, consent: DEFAULT_CONSENT, hasUnsubscribeLink: true })).toEqual({
      status: 'skipped',
      reason: 'capped',
    })
  })
})
