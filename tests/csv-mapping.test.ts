import { describe, expect, it } from 'vitest'
import { headerKey, mapHeader, pickFields, splitFullName, splitTags } from '../src/imports/columns'
import { decodeCsv, parseCsv } from '../src/imports/csv'
import { prepareRow } from '../src/imports/rows'
import { packRows } from '../src/imports/service'

describe('mapHeader', () => {
  it('matches headers whatever their case, spacing and punctuation', () => {
    expect(headerKey('  E-mail Address ')).toBe('emailaddress')
    const { columns, ignored } = mapHeader([
      'First Name',
      'LAST_NAME',
      ' e-mail ',
      'Zip Code',
      'State/Province',
      'Favourite colour',
    ])
    expect(columns).toEqual({ first_name: [0], last_name: [1], email: [2], postal: [3], state: [4] })
    expect(ignored).toEqual(['Favourite colour'])
  })

  it('knows the common synonyms', () => {
    const { columns } = mapHeader([
      'Full Name',
      'Mobile',
      'Street',
      'Town',
      'Province',
      'Postcode',
      'Labels',
      'Client ID',
      'Apt',
      'Country Code',
      'Comments',
    ])
    expect(columns).toEqual({
      name: [0],
      phone: [1],
      address1: [2],
      city: [3],
      state: [4],
      postal: [5],
      tags: [6],
      external_id: [7],
      address2: [8],
      country: [9],
      notes: [10],
    })
  })

  it('orders several columns of one field best first, so "phone" wins over "cell"', () => {
    const { columns } = mapHeader(['Cell', 'Name', 'Phone', 'Home Phone'])
    expect(columns.phone).toEqual([2, 0, 3])
    expect(pickFields(columns, ['(415) 555-0101', 'Ann', '', '415.555.0199'])).toEqual({
      name: 'Ann',
      phone: '(415) 555-0101',
    })
  })
})

describe('splitFullName', () => {
  it.each([
    ['Jane Smith', { first: 'Jane', last: 'Smith' }],
    ['  Mary   Ann Smith ', { first: 'Mary Ann', last: 'Smith' }],
    ['Smith, Jane', { first: 'Jane', last: 'Smith' }],
    ['Ludwig van Beethoven', { first: 'Ludwig', last: 'van Beethoven' }],
    ['John Smith Jr.', { first: 'John', last: 'Smith Jr.' }],
    ['Cher', { first: 'Cher' }],
  ])('splits %j', (full, expected) => {
    expect(splitFullName(full)).toEqual(expected)
  })
})

describe('splitTags', () => {
  it('splits on commas and semicolons, trims and drops empty and repeated tags', () => {
    expect(splitTags(' vip; weekly ,, vip;spring ')).toEqual(['vip', 'weekly', 'spring'])
    expect(splitTags(undefined)).toEqual([])
  })
})

describe('parseCsv', () => {
  it('reads a BOM, CRLF, quoted commas, quotes and line breaks, ragged and blank rows', () => {
    const text = '\uFEFFName,Notes,Tags\r\n"Smith, Jane","Gate ""B""\r\nbehind the shed",vip\r\n\r\n,,\r\nBob\r\n'
    expect(parseCsv(text)).toEqual({
      header: ['Name', 'Notes', 'Tags'],
      records: [['Smith, Jane', 'Gate "B"\r\nbehind the shed', 'vip'], ['Bob']],
    })
  })

  it('reads semicolon-separated files', () => {
    expect(parseCsv('name;email\nAnn;ann@example.com\n').records).toEqual([['Ann', 'ann@example.com']])
  })

  it('rejects an unclosed quote with a 400', () => {
    expect(() => parseCsv('name,email\n"Ann,ann@example.com\n')).toThrow(/not valid CSV/)
  })

  it('decodes UTF-8, and Windows-1252 when the bytes are not UTF-8', () => {
    expect(decodeCsv(new TextEncoder().encode('\uFEFFname\nJosé'))).toBe('name\nJosé')
    expect(decodeCsv(new Uint8Array([0x6e, 0x0a, 0x4a, 0x6f, 0x73, 0xe9]))).toBe('n\nJosé')
  })
})

describe('prepareRow', () => {
  it('normalizes contacts, splits the full name and reads status and tags', () => {
    expect(
      prepareRow(
        { name: 'Jane Smith', email: ' Jane.Smith@Example.COM ', phone: '415.555.0102', status: 'Lead', tags: 'a;b' },
        'US',
      ),
    ).toEqual({
      ok: true,
      client: {
        first_name: 'Jane',
        last_name: 'Smith',
        email: 'jane.smith@example.com',
        phone: '+14155550102',
        status: 'lead',
        tags: ['a', 'b'],
      },
    })
  })

  it('prefers first and last name columns over a full name', () => {
    const result = prepareRow({ first_name: 'Ann', name: 'Someone Else' }, 'US')
    expect(result).toEqual({ ok: true, client: { first_name: 'Ann', tags: [] } })
  })

  it('reads national phones in the row country, else the organization country', () => {
    expect(prepareRow({ name: 'A', phone: '020 7946 0958', country: 'gb' }, 'US')).toMatchObject({
      ok: true,
      client: { phone: '+442079460958' },
    })
    expect(prepareRow({ name: 'A', phone: '020 7946 0958' }, 'GB')).toMatchObject({
      ok: true,
      client: { phone: '+442079460958' },
    })
  })

  it('leaves out each field that does not hold up, names it, and keeps the rest of the row', () => {
    const result = prepareRow({ last_name: 'Smith', email: 'not-an-email', phone: '555', status: 'vip' }, 'US')
    expect(result).toEqual({
      ok: true,
      client: { last_name: 'Smith', tags: [] },
      problems: [
        { field: 'email', message: 'email "not-an-email" is not a valid email address' },
        { field: 'phone', message: 'phone "555" is not a valid phone number' },
        { field: 'status', message: 'status "vip" is not one of lead, active, inactive' },
      ],
    })
  })

  it('skips a row with no name, email or phone left, naming every problem in one message', () => {
    const result = prepareRow({ email: 'not-an-email', status: 'vip' }, 'US')
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.message).toBe(
      'Name is missing; email "not-an-email" is not a valid email address; status "vip" is not one of lead, active, inactive; ' +
        'nothing left to import: no name, email or phone',
    )
  })

  it('takes a whole address and leaves out a partial one', () => {
    const whole = prepareRow({ name: 'A', address1: '1 Main St', city: 'Austin', state: 'TX', postal: '78701' }, 'US')
    expect(whole).toMatchObject({
      ok: true,
      client: { address: { address1: '1 Main St', city: 'Austin', state: 'TX', postal: '78701', country: 'US' } },
    })
    expect(prepareRow({ name: 'A', city: 'Austin' }, 'US')).toEqual({
      ok: true,
      client: { first_name: 'A', tags: [] },
      problems: [{ field: 'address1', message: 'address is missing street, state, postal' }],
    })
  })
})

describe('packRows', () => {
  it('puts at most 100 rows and about 96 KB in one batch', () => {
    const small = Array.from({ length: 250 }, (_, i) => ({ row: i + 1, fields: { name: `P${i}` } }))
    expect(packRows(small).map((b) => b.length)).toEqual([100, 100, 50])
    const big = Array.from({ length: 20 }, (_, i) => ({ row: i + 1, fields: { name: 'P', notes: 'x'.repeat(10_000) } }))
    const batches = packRows(big)
    expect(batches.every((b) => JSON.stringify(b).length < 100 * 1024)).toBe(true)
    expect(batches.flat()).toHaveLength(20)
  })
})
