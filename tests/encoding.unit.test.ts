import { describe, expect, it } from 'vitest'
import { keyRing, timingSafeEqual } from '../src/auth/crypto'
import {
  base64,
  base64url,
  basicAuth,
  fromBase64,
  fromBase64url,
  hex,
  textFromBase64url,
  textToBase64url,
} from '../src/encoding'

const bytes = (...b: number[]) => new Uint8Array(b)

describe('base64url', () => {
  it('writes URL-safe characters without padding and reads them back', () => {
    const value = bytes(0xfb, 0xff, 0xbf, 0x01)
    expect(base64url(value)).toBe('-_-_AQ')
    expect(fromBase64url('-_-_AQ')).toEqual(value)
  })

  it('reads padded values and standard base64 too', () => {
    expect(fromBase64url('-_-_AQ==')).toEqual(bytes(0xfb, 0xff, 0xbf, 0x01))
    expect(fromBase64url('+/+/AQ')).toEqual(bytes(0xfb, 0xff, 0xbf, 0x01))
  })

  it('encodes only the bytes a view covers', () => {
    const whole = bytes(1, 2, 3, 4, 5, 6)
    expect(base64url(whole.subarray(2, 5))).toBe(base64url(bytes(3, 4, 5)))
  })

  it('throws on what is not base64', () => {
    expect(() => fromBase64url('a')).toThrow()
    expect(() => fromBase64('not base64!')).toThrow()
  })

  it('carries UTF-8 text', () => {
    expect(textFromBase64url(textToBase64url('{"name":"Zoë"}'))).toBe('{"name":"Zoë"}')
    expect(textToBase64url('2030-01-01T00:00:00.000Z|abc')).toBe(
      btoa('2030-01-01T00:00:00.000Z|abc').replace(/=+$/, ''),
    )
  })
})

describe('base64 and Basic auth', () => {
  it('pads standard base64 and reads it back', () => {
    expect(base64(bytes(0xfb, 0xff))).toBe('+/8=')
    expect(fromBase64('+/8=')).toEqual(bytes(0xfb, 0xff))
  })

  it('writes an HTTP Basic header', () => {
    expect(basicAuth('AC123', 's3cret')).toBe(`Basic ${btoa('AC123:s3cret')}`)
  })
})

describe('timingSafeEqual', () => {
  it('is true only for the same bytes of the same length', () => {
    expect(timingSafeEqual(bytes(1, 2, 3), bytes(1, 2, 3))).toBe(true)
    expect(timingSafeEqual(bytes(1, 2, 3), bytes(1, 2, 4))).toBe(false)
    expect(timingSafeEqual(bytes(1, 2, 3), bytes(1, 2))).toBe(false)
    expect(timingSafeEqual(bytes(), bytes())).toBe(true)
  })
})

describe('keyRing', () => {
  it('names the current key k1 by default and reads older keys by id', () => {
    const ring = keyRing('new-secret', undefined, 'k0:old-secret, k00 : older ,broken,:nokid')
    expect(ring.current).toEqual({ id: 'k1', secret: 'new-secret' })
    expect([...ring.all]).toEqual([
      ['k0', 'old-secret'],
      ['k00', 'older'],
      ['k1', 'new-secret'],
    ])
  })

  it('lets the current key win an id an old key also names', () => {
    const ring = keyRing('current', 'k2', 'k2:stale')
    expect(ring.all.get('k2')).toBe('current')
  })

  it('has no current key without a secret, but still reads old keys', () => {
    const ring = keyRing(undefined, 'k2', 'k1:old')
    expect(ring.current).toBeNull()
    expect(ring.all.get('k1')).toBe('old')
  })
})

describe('hex', () => {
  it('writes two lowercase digits a byte', () => {
    expect(hex(bytes(0, 10, 255))).toBe('000aff')
  })
})
