import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import {
  readLinkToken,
  signLinkToken,
  signPortalToken,
  verifyLinkToken,
  verifyPortalToken,
} from '../src/messaging/portal-token'
import { allows, type PortalAccess } from '../src/portal/access'
import { checkCode, checkPointCode, issueCode, newCode } from '../src/portal/codes'
import { maskContact } from '../src/portal/links'
import { checkoutForm } from '../src/portal/stripe-checkout'
import { peopleDb } from '../src/db'

const RING = { PORTAL_SIGNING_KEY: 'new-key', PORTAL_SIGNING_KEY_ID: 'k2', PORTAL_OLD_KEYS: 'k1:old-key' }
const claims = { o: 'org-1', c: 'client-1' }
const DAY = 86_400_000

describe('portal link tokens', () => {
  it('sign and verify with the key id, and default to 30 days', async () => {
    const now = Date.parse('2030-01-01T00:00:00Z')
    const token = await signPortalToken(RING, 'org-1', 'client-1', undefined, now)
    const read = await readLinkToken(RING, token, now)
    expect(read).toMatchObject({
      expired: false,
      claims: { o: 'org-1', c: 'client-1', k: 'k2', exp: now / 1000 + 30 * 86_400 },
    })
    expect(await verifyLinkToken(RING, token, 'portal', now + 29 * DAY)).not.toBeNull()
  })

  it('expire: a genuine old link reads as expired, and does not verify', async () => {
    const token = await signLinkToken(RING, claims, 1, Date.now() - 2 * DAY)
    expect(await verifyPortalToken(RING, token)).toBeNull()
    expect(await readLinkToken(RING, token)).toMatchObject({ expired: true, claims })
  })

  it('refuse tampering: changed claims, changed signature, another key, garbage', async () => {
    const token = await signLinkToken(RING, claims, 30)
    const [payload, sig] = token.split('.') as [string, string]
    const other = btoa(
      JSON.stringify({ ...JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))), c: 'client-2' }),
    )
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '')
    expect(await readLinkToken(RING, `${other}.${sig}`)).toBeNull()
    expect(await readLinkToken(RING, `${payload}.${sig.slice(0, -3)}AAA`)).toBeNull()
    expect(await readLinkToken({ PORTAL_SIGNING_KEY: 'someone-else', PORTAL_SIGNING_KEY_ID: 'k2' }, token)).toBeNull()
    for (const junk of ['', '.', 'abc', `${payload}.${sig}.extra`, '%%%.%%%'])
      expect(await readLinkToken(RING, junk)).toBeNull()
  })

  it('keep each link to its purpose: a review link is no portal link, a pay link is no portal link', async () => {
    const review = await signLinkToken(RING, { ...claims, p: 'review', r: 'rr-1' }, 60)
    const pay = await signLinkToken(RING, { ...claims, p: 'pay', r: 'inv-1' }, 30)
    expect(await verifyLinkToken(RING, review, 'portal')).toBeNull()
    expect(await verifyLinkToken(RING, pay, 'portal')).toBeNull()
    expect(await verifyLinkToken(RING, pay, 'pay')).toMatchObject({ r: 'inv-1' })
    const access = { purpose: 'pay', resource: 'inv-1', token: 't' } as PortalAccess
    expect(allows(access, 'pay', 'inv-1')).toBe(true)
    expect(allows(access, 'pay', 'inv-2')).toBe(false)
    expect(allows(access, 'confirm', 'inv-1')).toBe(false)
    expect(allows(access, 'preferences')).toBe(false)
    expect(allows(access, 'verify')).toBe(false)
    expect(allows({ purpose: 'portal', token: null } as PortalAccess, 'verify')).toBe(false)
  })

  it('rotate: an old key id verifies while listed, and not once dropped', async () => {
    const old = await signLinkToken({ PORTAL_SIGNING_KEY: 'old-key', PORTAL_SIGNING_KEY_ID: 'k1' }, claims, 30)
    expect(await verifyPortalToken(RING, old)).toMatchObject({ k: 'k1' })
    expect(await verifyPortalToken({ PORTAL_SIGNING_KEY: 'new-key', PORTAL_SIGNING_KEY_ID: 'k2' }, old)).toBeNull()
    // A link signed with a bare key (no id) verifies against any listed key.
    const bare = await signLinkToken('old-key', claims, 30)
    expect(await verifyPortalToken(RING, bare)).toMatchObject(claims)
    expect(await verifyPortalToken('old-key', await signLinkToken(RING, claims, 30))).toBeNull()
  })
})

describe('one-time codes', () => {
  it('are six digits, checked once, superseded by a newer one', async () => {
    for (let i = 0; i < 50; i++) expect(newCode()).toMatch(/^\d{6}$/)
    const db = peopleDb(env.PEOPLE)
    const personId = crypto.randomUUID()
    const first = await issueCode(db, 'secret', { personId, channel: 'email', destination: 'a@example.com' })
    const second = await issueCode(db, 'secret', { personId, channel: 'email', destination: 'a@example.com' })
    // The first stopped working when the second was sent.
    expect(
      (await env.PEOPLE.prepare('select consumed_at from homeowner_codes where id = ?')
        .bind(first.id)
        .first<{ consumed_at: string | null }>())!.consumed_at,
    ).not.toBeNull()
    expect(await checkCode(db, 'secret', personId, second.code)).toEqual({
      ok: true,
      channel: 'email',
      destination: 'a@example.com',
    })
    expect(await checkCode(db, 'secret', personId, second.code)).toMatchObject({ ok: false, reason: 'missing' })
  })

  it('expire after 10 minutes and refuse a code checked with another key', async () => {
    const db = peopleDb(env.PEOPLE)
    const personId = crypto.randomUUID()
    const now = new Date('2030-01-01T12:00:00Z')
    const { code } = await issueCode(db, 'secret', { personId, channel: 'sms', destination: '+14155550101' }, now)
    expect(await checkCode(db, 'secret', personId, code, new Date(now.getTime() + 10 * 60_000))).toMatchObject({
      ok: false,
      reason: 'expired',
    })
    expect(await checkCode(db, 'other-secret', personId, code, new Date(now.getTime() + 60_000))).toMatchObject({
      ok: false,
      reason: 'wrong',
    })
    expect(await checkCode(db, 'secret', personId, code, new Date(now.getTime() + 9 * 60_000))).toMatchObject({
      ok: true,
    })
  })
})

describe('codes for a new phone or email', () => {
  it('are bound to the account and the point, and never pass as a sign-in code', async () => {
    const db = peopleDb(env.PEOPLE)
    const personId = crypto.randomUUID()
    const point = { personId, channel: 'sms' as const, destination: '+14155550111', accountId: 'account-1' }
    const mine = await issueCode(db, 'secret', point)
    expect(await checkCode(db, 'secret', personId, mine.code)).toMatchObject({ ok: false, reason: 'missing' })
    expect(await checkPointCode(db, 'secret', { ...point, accountId: 'account-2' }, mine.code)).toMatchObject({
      ok: false,
      reason: 'missing',
    })
    expect(await checkPointCode(db, 'secret', { ...point, destination: '+14155550999' }, mine.code)).toMatchObject({
      ok: false,
      reason: 'missing',
    })
    // A sign-in code sent to the same person meanwhile does not replace it.
    await issueCode(db, 'secret', { personId, channel: 'sms', destination: '+14155550100' })
    expect(await checkPointCode(db, 'secret', point, mine.code)).toEqual({
      ok: true,
      channel: 'sms',
      destination: '+14155550111',
    })
    expect(await checkPointCode(db, 'secret', point, mine.code)).toMatchObject({ ok: false, reason: 'missing' })
  })
})

describe('portal helpers', () => {
  it('mask contact points on file', () => {
    expect(maskContact('sms', '+14155550123')).toBe('the number ending in 0123')
    expect(maskContact('email', 'casey@example.com')).toBe('c•••@example.com')
  })

  it('write the Checkout Session form in Stripe’s bracket notation', () => {
    const form = checkoutForm({
      secretKey: 'sk',
      accountId: 'acct_1',
      organizationId: 'org-1',
      invoice: { id: 'inv-1', number: 1007, balance_cents: 12_345 },
      businessName: 'Pipe Pros',
      successUrl: 'https://x/p/t?done=paid',
      cancelUrl: 'https://x/p/t',
    })
    expect(form.get('line_items[0][price_data][unit_amount]')).toBe('12345')
    expect(form.get('line_items[0][price_data][product_data][name]')).toBe('Invoice #1007 from Pipe Pros')
    expect(form.get('metadata[invoice_id]')).toBe('inv-1')
    expect(form.has('customer_email')).toBe(false)
  })
})
