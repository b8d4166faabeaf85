import { env, SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { api, createClient, createOrg, unique } from './helpers/factories'

type Upserted = { person_id: string; is_new: boolean }

describe('POST /api/v1/people/upsert', () => {
  it('finds one person for every common way of writing a phone number', async () => {
    const org = await createOrg()
    const digits = `415555${String(1000 + Math.floor(Math.random() * 8999))}`
    const local = digits.slice(3)
    const formats = [
      `(415) ${local.slice(0, 3)}-${local.slice(3)}`,
      `415.${local.slice(0, 3)}.${local.slice(3)}`,
      `+1 415 ${local.slice(0, 3)} ${local.slice(3)}`,
      `1-415-${local.slice(0, 3)}-${local.slice(3)}`,
    ]
    const results: Upserted[] = []
    for (const phone of formats) {
      const res = await api(org, 'POST', '/api/v1/people/upsert', { phone, first_name: 'Pat' })
      results.push(await res.json<Upserted>())
    }
    expect(results[0]!.is_new).toBe(true)
    expect(new Set(results.map((r) => r.person_id)).size).toBe(1)
    expect(results.slice(1).every((r) => !r.is_new)).toBe(true)
    const row = await env.PEOPLE.prepare('select phone_e164 from person_phones where person_id = ?')
      .bind(results[0]!.person_id)
      .first<{ phone_e164: string }>()
    expect(row?.phone_e164).toBe(`+1${digits}`)
  })

  it('links the same email in another case to one person, new to each organization the first time it asks', async () => {
    const a = await createOrg()
    const b = await createOrg()
    const email = `jane-${unique()}@example.com`
    const first = await api(a, 'POST', '/api/v1/people/upsert', { email: `  ${email.toUpperCase()} ` })
    expect(first.status).toBe(201)
    // New to B although A knows her: B must not learn that anyone else does.
    const second = await api(b, 'POST', '/api/v1/people/upsert', { email })
    expect(second.status).toBe(201)
    const [p1, p2] = [await first.json<Upserted>(), await second.json<Upserted>()]
    expect(p2).toEqual({ person_id: p1.person_id, is_new: true })
    const again = await api(b, 'POST', '/api/v1/people/upsert', { email })
    expect(again.status).toBe(200)
    expect(await again.json()).toEqual({ person_id: p1.person_id, is_new: false })
  })

  it('reads a national number in default_country', async () => {
    const org = await createOrg()
    const res = await api(org, 'POST', '/api/v1/people/upsert', {
      phone: `020 7946 0${String(100 + Math.floor(Math.random() * 899))}`,
      default_country: 'GB',
    })
    expect(res.status).toBe(201)
    const { person_id } = await res.json<Upserted>()
    const row = await env.PEOPLE.prepare('select primary_phone_e164 as p from people where id = ?')
      .bind(person_id)
      .first<{ p: string }>()
    expect(row?.p).toMatch(/^\+44207946/)
  })

  it('uses the organization country when no default_country is given', async () => {
    const org = await createOrg({ country: 'GB' })
    const res = await api(org, 'POST', '/api/v1/people/upsert', {
      phone: `020 7946 0${String(100 + Math.floor(Math.random() * 899))}`,
    })
    expect(res.status).toBe(201)
  })

  it('lets the email win when email and phone match different people; the phone is then shared', async () => {
    const org = await createOrg()
    const email = `owner-of-email-${unique()}@example.com`
    const phone = `+1212555${String(1000 + Math.floor(Math.random() * 8999))}`
    const byEmail = await (await api(org, 'POST', '/api/v1/people/upsert', { email })).json<Upserted>()
    const byPhone = await (await api(org, 'POST', '/api/v1/people/upsert', { phone })).json<Upserted>()
    const both = await (await api(org, 'POST', '/api/v1/people/upsert', { email, phone })).json<Upserted>()
    expect(both).toEqual({ person_id: byEmail.person_id, is_new: false })
    const holders = await env.PEOPLE.prepare('select person_id from person_phones where phone_e164 = ?')
      .bind(phone)
      .all<{ person_id: string }>()
    expect(holders.results.map((h) => h.person_id).sort()).toEqual([byEmail.person_id, byPhone.person_id].sort())
  })

  it('returns one person for concurrent upserts of the same new email', async () => {
    const org = await createOrg()
    const email = `race-${unique()}@example.com`
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => api(org, 'POST', '/api/v1/people/upsert', { email, first_name: 'Race' })),
    )
    const bodies = await Promise.all(responses.map((r) => r.json<Upserted>()))
    expect(new Set(bodies.map((b) => b.person_id)).size).toBe(1)
    expect(bodies.filter((b) => b.is_new)).toHaveLength(1)
    const count = await env.PEOPLE.prepare('select count(*) as n from person_emails where email = ?')
      .bind(email)
      .first<{ n: number }>()
    expect(count?.n).toBe(1)
  })

  it.each([
    ['no email or phone', { first_name: 'Nobody' }, 'email'],
    ['a bad email', { email: 'not-an-email' }, 'email'],
    ['a phone with letters', { phone: '1-800-FLOWERS' }, 'phone'],
    ['a phone that is too short', { phone: '555-12' }, 'phone'],
    ['an unknown country', { phone: '4155552671', default_country: 'USA' }, 'default_country'],
  ])('rejects %s with 400 and writes nothing', async (_why, body, path) => {
    const org = await createOrg()
    const before = await env.PEOPLE.prepare('select count(*) as n from people').first<{ n: number }>()
    const res = await api(org, 'POST', '/api/v1/people/upsert', body)
    expect(res.status).toBe(400)
    const error = await res.json<{ error: { code: string; issues: Array<{ path: string }> } }>()
    expect(error.error.code).toBe('invalid_input')
    expect(error.error.issues.map((i) => i.path)).toContain(path)
    const after = await env.PEOPLE.prepare('select count(*) as n from people').first<{ n: number }>()
    expect(after?.n).toBe(before?.n)
  })

  it('rejects malformed JSON and a wrong content type with 400', async () => {
    const org = await createOrg()
    const malformed = await api(org, 'POST', '/api/v1/people/upsert', undefined, { 'content-type': 'application/json' })
    expect(malformed.status).toBe(400)
    const wrongType = await postForm(org.apiKey, 'email=a@example.com')
    expect(wrongType.status).toBe(400)
    expect((await wrongType.json<{ error: { code: string } }>()).error.code).toBe('invalid_input')
  })

  it('needs an API key', async () => {
    const res = await api(null, 'POST', '/api/v1/people/upsert', { email: 'x@example.com' })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } })
  })
})

function postForm(key: string, body: string) {
  return SELF.fetch('https://homebase.test/api/v1/people/upsert', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  })
}

describe('GET /api/v1/people/{id}', () => {
  it('shows a client person with every email and phone', async () => {
    const org = await createOrg()
    const email = `sam-${unique()}@example.com`
    const client = await createClient(org, {
      first_name: 'Sam',
      last_name: 'Lee',
      email,
      phone: `(646) 555-0${String(100 + Math.floor(Math.random() * 899))}`,
    })
    const res = await api(org, 'GET', `/api/v1/people/${client.person_id}`)
    expect(res.status).toBe(200)
    const person = await res.json<Record<string, unknown>>()
    expect(person).toMatchObject({
      person_id: client.person_id,
      first_name: 'Sam',
      last_name: 'Lee',
      primary_email: email,
      emails: [email],
    })
    expect(person['primary_phone_e164']).toMatch(/^\+1646555/)
  })

  it('is 404 for a person who is not a client of the organization', async () => {
    const org = await createOrg()
    const upserted = await (
      await api(org, 'POST', '/api/v1/people/upsert', { email: `stranger-${unique()}@example.com` })
    ).json<Upserted>()
    expect((await api(org, 'GET', `/api/v1/people/${upserted.person_id}`)).status).toBe(404)
    expect((await api(org, 'GET', '/api/v1/people/does-not-exist')).status).toBe(404)
  })
})
