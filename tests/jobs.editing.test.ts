/** Editing a booked job: its service and property change on PATCH, within the business and the client. */
import { describe, expect, it } from 'vitest'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'

type Job = { id: string; service_id: string | null; address_id: string | null; price_cents: number }

const HOME = { address1: '9 Elm St', city: 'Oakland', state: 'CA', postal: '94610' }

async function service(org: TestOrg, name: string, price: number) {
  return (await (await api(org, 'POST', '/api/v1/services', { name, price_cents: price })).json<{ id: string }>()).id
}

async function clientWithProperty(org: TestOrg) {
  const client = await createClient(org, { first_name: 'Ann', email: `ann-${unique()}@example.com`, address: HOME })
  const added = await api(org, 'POST', `/api/v1/clients/${client.org_client_id}/addresses`, {
    label: 'Rental',
    address1: '1 Bay Rd',
    city: 'Oakland',
    state: 'CA',
    postal: '94611',
  })
  expect(added.status).toBe(201)
  return { client, rental: (await added.json<{ address_id: string }>()).address_id }
}

const patch = (org: TestOrg, id: string, body: unknown) => api(org, 'PATCH', `/api/v1/jobs/${id}`, body)

describe('PATCH /api/v1/jobs/{id} with service_id and address_id', () => {
  it('changes the service and the property, keeps the booked price, and clears the service with null', async () => {
    const org = await createOrg()
    const [standard, deep] = [await service(org, 'Standard', 14000), await service(org, 'Deep clean', 26000)]
    const { client, rental } = await clientWithProperty(org)
    const booked = await api(org, 'POST', '/api/v1/jobs', {
      org_client_id: client.org_client_id,
      service_id: standard,
      start_at: '2031-02-01T15:00:00Z',
    })
    const { job } = await booked.json<{ job: Job }>()
    expect(job).toMatchObject({ service_id: standard, price_cents: 14000 })

    const changed = await patch(org, job.id, { service_id: deep, address_id: rental })
    expect(changed.status).toBe(200)
    expect(await changed.json()).toMatchObject({ service_id: deep, address_id: rental, price_cents: 14000 })
    expect(await (await patch(org, job.id, { service_id: null, price_cents: 20000 })).json()).toMatchObject({
      service_id: null,
      price_cents: 20000,
    })
  })

  it("refuses another client's property (400) and an unknown service (404), writing nothing", async () => {
    const org = await createOrg()
    const { client } = await clientWithProperty(org)
    const other = await clientWithProperty(org)
    const { job } = await (
      await api(org, 'POST', '/api/v1/jobs', { org_client_id: client.org_client_id, start_at: '2031-02-01T15:00:00Z' })
    ).json<{ job: Job }>()
    expect((await patch(org, job.id, { address_id: other.rental })).status).toBe(400)
    expect((await patch(org, job.id, { service_id: crypto.randomUUID() })).status).toBe(404)
    const now = await (await api(org, 'GET', `/api/v1/jobs/${job.id}`)).json<Job>()
    expect(now).toMatchObject({ address_id: job.address_id, service_id: null })
  })

  it("cannot use another business's service or property", async () => {
    const [org, stranger] = await Promise.all([createOrg(), createOrg()])
    const theirs = await service(stranger, 'Theirs', 9900)
    const strangers = await clientWithProperty(stranger)
    const { client } = await clientWithProperty(org)
    const { job } = await (
      await api(org, 'POST', '/api/v1/jobs', { org_client_id: client.org_client_id, start_at: '2031-02-01T15:00:00Z' })
    ).json<{ job: Job }>()
    expect((await patch(org, job.id, { service_id: theirs })).status).toBe(404)
    expect((await patch(org, job.id, { address_id: strangers.rental })).status).toBe(400)
    expect((await patch(stranger, job.id, { service_id: theirs })).status).toBe(404)
  })
})
