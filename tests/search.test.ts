import { describe, expect, it } from 'vitest'
import { buildMatch, phoneTokens, wholeNameMatch } from '../durable-objects/org/crm/search'
import { api, createClient, createOrg, unique } from './helpers/factories'

describe('buildMatch', () => {
  it('reads digits in any phone format as one phone fragment', () => {
    expect(buildMatch('555-867')).toBe('phones : 555867*')
    expect(buildMatch('(415) 555-8675')).toBe('phones : 4155558675*')
    expect(buildMatch('+14155558675')).toBe('phones : 14155558675*')
  })

  it('makes every word a required prefix, accents and punctuation ignored', () => {
    expect(buildMatch('Jo')).toBe('{names emails phones} : "jo"*')
    expect(buildMatch('josé  smi')).toBe('{names emails phones} : "jose"* AND {names emails phones} : "smi"*')
    expect(buildMatch('maria.g@exa')).toBe(
      '{names emails phones} : "maria"* AND {names emails phones} : "g"* AND {names emails phones} : "exa"*',
    )
  })

  it('cannot be broken by FTS5 syntax in the query', () => {
    expect(buildMatch('"OR* NEAR(')).toBe('{names emails phones} : "or"* AND {names emails phones} : "near"*')
    expect(buildMatch('   ')).toBeNull()
    expect(buildMatch('--')).toBeNull()
    expect(buildMatch('55')).toBeNull()
  })
})

describe('wholeNameMatch', () => {
  it('matches one typed word of three letters or more as a whole name, and nothing else', () => {
    expect(wholeNameMatch(' Jen ')).toBe('names : "jen"')
    expect(wholeNameMatch('José')).toBe('names : "jose"')
    expect(wholeNameMatch('"NEAR(*')).toBe('names : "near"')
    expect(wholeNameMatch('jo')).toBeNull()
    expect(wholeNameMatch('jen smith')).toBeNull()
    expect(wholeNameMatch('555-8675')).toBeNull()
    expect(wholeNameMatch('   ')).toBeNull()
  })
})

describe('phoneTokens', () => {
  it('indexes every suffix of the digits of at least three digits', () => {
    expect(phoneTokens(['+14155558675']).split(' ')).toEqual([
      '14155558675',
      '4155558675',
      '155558675',
      '55558675',
      '5558675',
      '558675',
      '58675',
      '8675',
      '675',
    ])
  })
})

describe('GET /api/v1/clients?q=', () => {
  it('finds clients by name prefix, email and phone fragments in any format', async () => {
    const org = await createOrg()
    const tag = unique()
    const john = await createClient(org, {
      first_name: 'John',
      last_name: 'Carter',
      email: `jc-${tag}@example.com`,
      phone: '(415) 555-8675',
    })
    const joanna = await createClient(org, {
      first_name: 'Joanna',
      last_name: 'Lee',
      email: `joanna-${tag}@example.org`,
      phone: '(212) 555-0199',
    })
    await createClient(org, {
      first_name: 'Bob',
      last_name: 'Jones',
      email: `bob-${tag}@example.net`,
      phone: '(303) 555-0111',
    })

    const search = async (q: string) =>
      (
        await (
          await api(org, 'GET', `/api/v1/clients?q=${encodeURIComponent(q)}`)
        ).json<{ items: Array<{ org_client_id: string }> }>()
      ).items.map((i) => i.org_client_id)

    expect(await search('jo')).toEqual(expect.arrayContaining([john.org_client_id, joanna.org_client_id]))
    expect(await search('joa')).toEqual([joanna.org_client_id])
    expect(await search('carter')).toEqual([john.org_client_id])
    expect(await search(`joanna-${tag}@example.org`)).toEqual([joanna.org_client_id])
    expect(await search('555-867')).toEqual([john.org_client_id])
    expect(await search('(415) 555-8675')).toEqual([john.org_client_id])
    expect(await search('+14155558675')).toEqual([john.org_client_id])
    expect(await search('8675')).toEqual([john.org_client_id])
    expect(await search('zzz')).toEqual([])
  })

  it('lists the clients named by one whole word first, then the other matches, newest first in each', async () => {
    const org = await createOrg()
    const tag = unique()
    const make = (first_name: string, last_name: string, tags: string[] = []) =>
      createClient(org, { first_name, last_name, email: `${unique()}@example.com`, tags })
    const jenkins = await make('Alma', 'Jenkins', [tag])
    const jenA = await make('Jen', 'Avery')
    const jennifer = await make('Jennifer', 'Stone', [tag])
    const jenB = await make('Jen', 'Brook', [tag])

    const search = async (query: string) =>
      (
        await (await api(org, 'GET', `/api/v1/clients?${query}`)).json<{ items: Array<{ org_client_id: string }> }>()
      ).items.map((i) => i.org_client_id)

    expect(await search('q=jen')).toEqual([
      jenB.org_client_id,
      jenA.org_client_id,
      jennifer.org_client_id,
      jenkins.org_client_id,
    ])
    expect(await search('q=jen&limit=2')).toEqual([jenB.org_client_id, jenA.org_client_id])
    expect(await search('q=jen&limit=3')).toEqual([jenB.org_client_id, jenA.org_client_id, jennifer.org_client_id])
    // The filters hold in both parts.
    expect(await search(`q=jen&tag=${tag}`)).toEqual([
      jenB.org_client_id,
      jennifer.org_client_id,
      jenkins.org_client_id,
    ])
    // Several words are still ranked together: only Jen Brook has both.
    expect(await search('q=jen%20bro')).toEqual([jenB.org_client_id])
  })

  it('follows a contact change', async () => {
    const org = await createOrg()
    const client = await createClient(org, { first_name: 'Wanda', email: `wanda-${unique()}@example.com` })
    await api(org, 'POST', `/api/v1/people/${client.person_id}/contact`, {
      first_name: 'Wilhelmina',
      phone: '(917) 555-0123',
    })
    const found = await (await api(org, 'GET', '/api/v1/clients?q=wilh')).json<{
      items: Array<{ org_client_id: string }>
    }>()
    expect(found.items.map((i) => i.org_client_id)).toEqual([client.org_client_id])
    const byPhone = await (await api(org, 'GET', '/api/v1/clients?q=917-555')).json<{
      items: Array<{ org_client_id: string }>
    }>()
    expect(byPhone.items.map((i) => i.org_client_id)).toEqual([client.org_client_id])
  })

  it("never returns another organization's clients", async () => {
    const [a, b] = [await createOrg(), await createOrg()]
    await createClient(a, { first_name: 'Xavier', phone: '(505) 555-0177' })
    const res = await (await api(b, 'GET', '/api/v1/clients?q=xavier')).json<{ items: unknown[] }>()
    expect(res.items).toEqual([])
  })
})
