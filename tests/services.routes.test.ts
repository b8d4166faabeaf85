/** /api/v1/services: edit, archive and restore, the owner's order, duplicate names warned, another business's ids not found. */
import { describe, expect, it } from 'vitest'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'

type Service = {
  id: string
  service_id: string
  name: string
  duration_minutes: number | null
  price_cents: number | null
  active: boolean
  position: number
  warnings?: Array<{ code: string; message: string; service_id: string }>
}

async function add(org: TestOrg, name: string, extra: Record<string, unknown> = {}): Promise<Service> {
  const res = await api(org, 'POST', '/api/v1/services', { name, ...extra })
  expect(res.status).toBe(201)
  return res.json<Service>()
}

const edit = (org: TestOrg, id: string, body: unknown) => api(org, 'PATCH', `/api/v1/services/${id}`, body)
const names = async (org: TestOrg, query = '') =>
  (await (await api(org, 'GET', `/api/v1/services${query}`)).json<{ items: Service[] }>()).items.map((s) => s.name)

describe('PATCH /api/v1/services/{id}', () => {
  it('changes the name, length and price, and null clears the length and price', async () => {
    const org = await createOrg()
    const s = await add(org, 'Standard clean', { duration_minutes: 120, price_cents: 14000 })
    const res = await edit(org, s.id, { name: 'Standard cleaning', duration_minutes: 150, price_cents: 16000 })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      id: s.id,
      name: 'Standard cleaning',
      duration_minutes: 150,
      price_cents: 16000,
      warnings: [],
    })
    expect(await (await edit(org, s.id, { duration_minutes: null, price_cents: null })).json()).toMatchObject({
      duration_minutes: null,
      price_cents: null,
      name: 'Standard cleaning',
    })
  })

  it('refuses bad input with a 400 naming the field and changes nothing', async () => {
    const org = await createOrg()
    const s = await add(org, 'Windows', { price_cents: 9000 })
    for (const [body, field] of [
      [{ name: '', price_cents: 1 }, 'name'],
      [{ price_cents: -5 }, 'price_cents'],
      [{ duration_minutes: 0 }, 'duration_minutes'],
      [{ active: 'no' }, 'active'],
      [{ position: -1 }, 'position'],
    ] as const) {
      const res = await edit(org, s.id, body)
      expect(res.status).toBe(400)
      const { error } = await res.json<{ error: { issues: Array<{ path: string }> } }>()
      expect(error.issues.map((i) => i.path)).toContain(field)
    }
    expect((await (await api(org, 'GET', '/api/v1/services')).json<{ items: Service[] }>()).items[0]).toMatchObject({
      name: 'Windows',
      price_cents: 9000,
    })
  })

  it("answers 404 for another business's service and an unknown id, changing nothing", async () => {
    const [mine, theirs] = await Promise.all([createOrg(), createOrg()])
    const their = await add(theirs, 'Their service', { price_cents: 5000 })
    expect((await edit(mine, their.id, { name: 'Mine now', active: false })).status).toBe(404)
    expect((await edit(mine, crypto.randomUUID(), { name: 'Ghost' })).status).toBe(404)
    expect(await names(theirs)).toEqual(['Their service'])
  })
})

describe('archiving a service', () => {
  it('hides it from the list, keeps it with include_archived, and restores it at the end', async () => {
    const org = await createOrg()
    const [a, b] = [await add(org, 'Alpha'), await add(org, 'Bravo')]
    await add(org, 'Charlie')
    const archived = await edit(org, a.id, { active: false })
    expect(archived.status).toBe(200)
    expect(await archived.json()).toMatchObject({ active: false })
    expect(await names(org)).toEqual(['Bravo', 'Charlie'])
    expect(await names(org, '?include_archived=true')).toEqual(['Bravo', 'Charlie', 'Alpha'])
    expect(await names(org, '?include_archived=false')).toEqual(['Bravo', 'Charlie'])
    expect((await api(org, 'GET', '/api/v1/services?include_archived=yes')).status).toBe(400)

    expect(await (await edit(org, a.id, { active: true })).json()).toMatchObject({ active: true, position: 2 })
    expect(await names(org)).toEqual(['Bravo', 'Charlie', 'Alpha'])
    expect((await edit(org, b.id, { active: true })).status).toBe(200)
  })

  it('keeps the service on jobs booked with it', async () => {
    const org = await createOrg()
    const service = await add(org, 'Move-out clean', { duration_minutes: 240, price_cents: 32000 })
    const client = await createClient(org, { first_name: 'Ola', email: `ola-${unique()}@example.com` })
    const booked = await api(org, 'POST', '/api/v1/jobs', {
      org_client_id: client.org_client_id,
      service_id: service.id,
      start_at: '2031-05-02T16:00:00Z',
      notify: false,
    })
    const { job } = await booked.json<{ job: { id: string } }>()
    await edit(org, service.id, { active: false })
    expect(await (await api(org, 'GET', `/api/v1/jobs/${job.id}`)).json()).toMatchObject({
      service_id: service.id,
      price_cents: 32000,
    })
  })
})

describe("the owner's order", () => {
  it('lists services in the order they were added, then as moved', async () => {
    const org = await createOrg()
    const [a, , c] = [await add(org, 'Zed clean'), await add(org, 'Alpha clean'), await add(org, 'Mid clean')]
    expect(await names(org)).toEqual(['Zed clean', 'Alpha clean', 'Mid clean'])
    expect(await (await edit(org, c.id, { position: 0 })).json()).toMatchObject({ position: 0 })
    expect(await names(org)).toEqual(['Mid clean', 'Zed clean', 'Alpha clean'])
    // Past the end is the end.
    await edit(org, a.id, { position: 99 })
    expect(await names(org)).toEqual(['Mid clean', 'Alpha clean', 'Zed clean'])
    const positions = (await (await api(org, 'GET', '/api/v1/services')).json<{ items: Service[] }>()).items.map(
      (s) => s.position,
    )
    expect(positions).toEqual([0, 1, 2])
  })
})

describe('duplicate names', () => {
  it('warns when a new service has the name of another, ignoring case and spaces, and still adds it', async () => {
    const org = await createOrg()
    const first = await add(org, 'Deep Clean')
    expect(first.warnings).toEqual([])
    const again = await add(org, '  deep  clean ')
    expect(again.warnings).toEqual([
      { code: 'duplicate_name', service_id: first.id, message: 'You already have a service named “Deep Clean”.' },
    ])
    expect((await add(org, 'DeepClean')).warnings).toHaveLength(2)
    expect((await add(org, 'Deep clean plus')).warnings).toEqual([])
  })

  it('warns when a rename matches another, naming an archived one as something to restore', async () => {
    const org = await createOrg()
    const old = await add(org, 'Gutters')
    await edit(org, old.id, { active: false })
    const other = await add(org, 'Roof')
    const renamed = await (await edit(org, other.id, { name: 'GUTTERS' })).json<Service>()
    expect(renamed.warnings).toEqual([
      {
        code: 'duplicate_name',
        service_id: old.id,
        message: 'An archived service is named “Gutters”: you can restore it instead.',
      },
    ])
    // Changing only the price of a service with a duplicate name says nothing again.
    expect((await (await edit(org, other.id, { price_cents: 100 })).json<Service>()).warnings).toEqual([])
  })
})
