import { describe, expect, it } from 'vitest'
import { normalizeEmail, normalizePhone } from '../src/people/normalize'

describe('normalizePhone', () => {
  it.each(['(415) 555-2671', '415.555.2671', '+1 415 555 2671', '1-415-555-2671', '4155552671', ' +14155552671 '])(
    'reads %s as +14155552671',
    (input) => {
      expect(normalizePhone(input, 'US')).toBe('+14155552671')
    },
  )

  it('reads national numbers in the given country', () => {
    expect(normalizePhone('020 7946 0018', 'GB')).toBe('+442079460018')
    expect(normalizePhone('(415) 555-2671', 'GB')).toBeNull()
  })

  it('keeps numbers of a plausible length that are not assigned yet, like the 555 examples', () => {
    expect(normalizePhone('+15559876543', 'US')).toBe('+15559876543')
  })

  it('keeps international numbers whatever the default country', () => {
    expect(normalizePhone('+44 20 7946 0018', 'US')).toBe('+442079460018')
  })

  it.each([
    ['too short', '555-1234'],
    ['letters', '1-800-FLOWERS'],
    ['only letters', 'call me'],
    ['too long', '+1 415 555 2671 9999'],
    ['empty', '   '],
    ['an area code starting with 0', '(000) 555-2671'],
    ['an exchange starting with 1', '(415) 155-2671'],
  ])('rejects %s', (_why, input) => {
    expect(normalizePhone(input, 'US')).toBeNull()
  })
})

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Jane.Doe@Example.COM ')).toBe('jane.doe@example.com')
  })

  it.each(['jane', 'jane@', '@example.com', 'jane doe@example.com', 'jane@example', ''])('rejects %j', (input) => {
    expect(normalizeEmail(input)).toBeNull()
  })
})
