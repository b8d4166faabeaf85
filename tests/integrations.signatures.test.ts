/**
 * Webhook signature schemes against fixed vectors: those in PROVIDERS.md (made with the providers'
 * own libraries) and, for Housecall Pro and ServiceTitan, vectors computed with node:crypto.
 */
import { describe, expect, it } from 'vitest'
import {
  verifyHousecallPro,
  verifyJobber,
  verifyQuickBooks,
  verifyServiceTitan,
  verifyStripe,
} from '../src/integrations/signatures'
import { decryptSecret, encryptSecret, needsRotation } from '../src/integrations/secrets'

const bytes = (s: string) => new TextEncoder().encode(s)

const JOBBER_BODY =
  '{"data":{"webHookEvent":{"topic":"CLIENT_CREATE","appId":"app-1","accountId":"MQ==","itemId":"MQ==","occurredAt":"2021-08-12T16:31:36-06:00"}}}'
const QBO_BODY =
  '{"eventNotifications":[{"realmId":"1185883450","dataChangeEvent":{"entities":[{"name":"Customer","id":"1","operation":"Create","lastUpdated":"2015-10-05T14:42:19-0700"}]}}]}'
const STRIPE_BODY = JSON.stringify({
  id: 'evt_test_1',
  object: 'event',
  type: 'invoice.paid',
  data: { object: { id: 'in_test_1', object: 'invoice', customer: 'cus_test_1' } },
})
const STRIPE_HEADER = 't=1700000000,v1=a95359955357494ece2de12a13f1862c963b74d71106f46dd3d3f7b059b5ccb4'
const HCP_BODY = '{"event":"job.completed","job":{"id":"job_1"}}'
const HCP_SIG = '1844ebb48caf3cbe5ca84417d8494f8483401fd6029bb9794842652ec56b96e0'
const ST_BODY = '{"eventId":"st-evt-1","eventType":"JobCompleted","data":{"id":42}}'
const ST_KEY = 'servicetitan_hmac_key_0123456789abcdef'

describe('Jobber', () => {
  it('accepts the vector and refuses a tampered body, a wrong secret and a missing header', async () => {
    const sig = 'xT+s8I1L7AaHJFZUo91Pc8RBzxbtwS9+3iD1ZOZ2iEs='
    expect(await verifyJobber(bytes(JOBBER_BODY), sig, 'jobber_client_secret')).toEqual({ ok: true })
    expect(
      await verifyJobber(bytes(JOBBER_BODY.replace('CLIENT_CREATE', 'CLIENT_UPDATE')), sig, 'jobber_client_secret'),
    ).toEqual({ ok: false, reason: 'bad_signature' })
    expect(await verifyJobber(bytes(JOBBER_BODY), sig, 'another_secret')).toEqual({
      ok: false,
      reason: 'bad_signature',
    })
    expect(await verifyJobber(bytes(JOBBER_BODY), null, 'jobber_client_secret')).toEqual({
      ok: false,
      reason: 'missing_signature',
    })
    expect(await verifyJobber(bytes(JOBBER_BODY), 'not base64!', 'jobber_client_secret')).toEqual({
      ok: false,
      reason: 'bad_signature',
    })
  })
})

describe('QuickBooks Online', () => {
  it('accepts the vector and refuses a tampered body, a wrong verifier and a missing header', async () => {
    const sig = 'RA/T6s0/i8ZebHUcq/O0hvPF+4gTzSllnC0iaJOQMbU='
    expect(await verifyQuickBooks(bytes(QBO_BODY), sig, 'qbo_verifier_token')).toEqual({ ok: true })
    expect((await verifyQuickBooks(bytes(QBO_BODY.replace('"1"', '"2"')), sig, 'qbo_verifier_token')).ok).toBe(false)
    expect((await verifyQuickBooks(bytes(QBO_BODY), sig, 'other')).ok).toBe(false)
    expect(await verifyQuickBooks(bytes(QBO_BODY), null, 'qbo_verifier_token')).toEqual({
      ok: false,
      reason: 'missing_signature',
    })
  })
})

describe('Stripe', () => {
  const secret = 'whsec_test_secret_0123456789'
  it('accepts the vector within 300 s and refuses it at 301 s', async () => {
    expect(await verifyStripe(bytes(STRIPE_BODY), STRIPE_HEADER, secret, 1700000000 + 299)).toEqual({ ok: true })
    expect(await verifyStripe(bytes(STRIPE_BODY), STRIPE_HEADER, secret, 1700000000 + 301)).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    })
  })
  it('accepts any of several v1 signatures (a rolled secret) and ignores v0', async () => {
    const header = `t=1700000000,v0=abcd,v1=${'0'.repeat(64)},v1=a95359955357494ece2de12a13f1862c963b74d71106f46dd3d3f7b059b5ccb4`
    expect(await verifyStripe(bytes(STRIPE_BODY), header, secret, 1700000000)).toEqual({ ok: true })
    expect(
      (
        await verifyStripe(
          bytes(STRIPE_BODY),
          't=1700000000,v0=a95359955357494ece2de12a13f1862c963b74d71106f46dd3d3f7b059b5ccb4',
          secret,
          1700000000,
        )
      ).ok,
    ).toBe(false)
  })
  it('refuses a tampered body, a wrong secret, a changed timestamp and a missing header', async () => {
    expect(
      (await verifyStripe(bytes(STRIPE_BODY.replace('in_test_1', 'in_test_2')), STRIPE_HEADER, secret, 1700000000)).ok,
    ).toBe(false)
    expect((await verifyStripe(bytes(STRIPE_BODY), STRIPE_HEADER, 'whsec_other', 1700000000)).ok).toBe(false)
    expect(
      (
        await verifyStripe(
          bytes(STRIPE_BODY),
          STRIPE_HEADER.replace('t=1700000000', 't=1700000001'),
          secret,
          1700000001,
        )
      ).ok,
    ).toBe(false)
    expect(await verifyStripe(bytes(STRIPE_BODY), null, secret, 1700000000)).toEqual({
      ok: false,
      reason: 'missing_signature',
    })
  })
})

describe('Housecall Pro', () => {
  it('accepts the vector within 5 minutes either way and refuses stale, tampered, wrong and missing', async () => {
    const headers = { signature: HCP_SIG, timestamp: '1700000000' }
    expect(await verifyHousecallPro(bytes(HCP_BODY), headers, 'hcp_secret', 1700000000 + 300)).toEqual({ ok: true })
    expect(await verifyHousecallPro(bytes(HCP_BODY), headers, 'hcp_secret', 1700000000 - 300)).toEqual({ ok: true })
    expect(await verifyHousecallPro(bytes(HCP_BODY), headers, 'hcp_secret', 1700000000 + 301)).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    })
    expect(
      (await verifyHousecallPro(bytes(HCP_BODY.replace('job_1', 'job_2')), headers, 'hcp_secret', 1700000000)).ok,
    ).toBe(false)
    expect((await verifyHousecallPro(bytes(HCP_BODY), headers, 'other', 1700000000)).ok).toBe(false)
    expect(
      await verifyHousecallPro(bytes(HCP_BODY), { signature: HCP_SIG, timestamp: null }, 'hcp_secret', 1700000000),
    ).toEqual({ ok: false, reason: 'missing_signature' })
  })
})

describe('ServiceTitan', () => {
  it('accepts base64 by default and hex when configured; refuses tampered, wrong and missing', async () => {
    expect(await verifyServiceTitan(bytes(ST_BODY), 'c2faiB54Xn7ME1big6fqkPIKk+wr40u0UOkZ7QF6DaU=', ST_KEY)).toEqual({
      ok: true,
    })
    expect(
      await verifyServiceTitan(
        bytes(ST_BODY),
        '7367da881e785e7ecc1356e283a7ea90f20a93ec2be34bb450e919ed017a0da5',
        ST_KEY,
        'hex',
      ),
    ).toEqual({ ok: true })
    expect(
      (
        await verifyServiceTitan(
          bytes(ST_BODY),
          '7367da881e785e7ecc1356e283a7ea90f20a93ec2be34bb450e919ed017a0da5',
          ST_KEY,
          'base64',
        )
      ).ok,
    ).toBe(false)
    expect(
      (
        await verifyServiceTitan(
          bytes(ST_BODY.replace('42', '43')),
          'c2faiB54Xn7ME1big6fqkPIKk+wr40u0UOkZ7QF6DaU=',
          ST_KEY,
        )
      ).ok,
    ).toBe(false)
    expect(
      (await verifyServiceTitan(bytes(ST_BODY), 'c2faiB54Xn7ME1big6fqkPIKk+wr40u0UOkZ7QF6DaU=', 'other_key')).ok,
    ).toBe(false)
    expect(await verifyServiceTitan(bytes(ST_BODY), null, ST_KEY)).toEqual({ ok: false, reason: 'missing_signature' })
  })
})

describe('secrets at rest', () => {
  const ring = { ENCRYPTION_KEY: 'test-encryption-key', ENCRYPTION_KEY_ID: 'k2', ENCRYPTION_OLD_KEYS: 'k1:old-key' }
  it('round-trips, never stores the plaintext, and is bound to its place', async () => {
    const sealed = await encryptSecret(ring, 'access-token-123', 'connection:c1:access_token')
    expect(sealed).toMatch(/^hb1\.k2\./)
    expect(sealed).not.toContain('access-token-123')
    expect(await decryptSecret(ring, sealed, 'connection:c1:access_token')).toBe('access-token-123')
    await expect(decryptSecret(ring, sealed, 'connection:c2:access_token')).rejects.toThrow()
  })
  it('cannot be read without the key, and reads values sealed with a rotated-out key', async () => {
    const old = await encryptSecret({ ENCRYPTION_KEY: 'old-key' }, 'refresh-9', 'x')
    expect(needsRotation(ring, old)).toBe(true)
    expect(await decryptSecret(ring, old, 'x')).toBe('refresh-9')
    await expect(decryptSecret({ ENCRYPTION_KEY: 'someone-else' }, old, 'x')).rejects.toThrow()
    await expect(encryptSecret({}, 'x', 'x')).rejects.toThrow(/ENCRYPTION_KEY/)
  })
})
