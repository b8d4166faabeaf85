import { createMessageBatch, env, getQueueResult, createExecutionContext } from 'cloudflare:test'
import { describe, expect, it, vi } from 'vitest'
import type { Env } from '../src/env'
import worker from '../src/index'
import { orgStub } from '../src/organizations'
import type { EventMessage } from '../src/queues/messages'
import { api, createClient, createOrg, unique } from './helpers/factories'

type ClientBody = { first_name: string; primary_email: string; primary_phone_e164: string }

describe('a person shared by two organizations', () => {
  it('is one person, linked to both in person_orgs', async () => {
    const [a, b] = [await createOrg(), await createOrg()]
    const email = `shared-${unique()}@example.com`
    const inA = await createClient(a, { first_name: 'Maria', email })
    const inB = await createClient(b, { first_name: 'Maria', email, status: 'lead' })
    expect(inB.person_id).toBe(inA.person_id)
    expect(inB.org_client_id).not.toBe(inA.org_client_id)
    const links = await env.PEOPLE.prepare('select organization_id from person_orgs where person_id = ? order by organization_id')
      .bind(inA.person_id).all<{ organization_id: string }>()
    expect(links.results.map((r) => r.organization_id).sort()).toEqual([a.organizationId, b.organizationId].sort())
  })

  it('gets a contact change to both organizations through the events queue', async () => {
    const [a, b] = [await createOrg(), await createOrg()]
    const oldEmail = `before-${unique()}@example.com`
    const newEmail = `after-${unique()}@example.com`
    const inA = await createClient(a, { first_name: 'Maria', email: oldEmail })
    const inB = await createClient(b, { first_name: 'Maria', email: oldEmail })

    const res = await api(a, 'POST', `/api/v1/people/${inA.person_id}/contact`, { email: newEmail, phone: '(718) 555-0142', first_name: 'Mariana' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ success: true, person_id: inA.person_id })

    // The caller's organization sees the change at once.
    const seenByA = await (await api(a, 'GET', `/api/v1/clients/${inA.org_client_id}`)).json<ClientBody>()
    expect(seenByA).toMatchObject({ first_name: 'Mariana', primary_email: newEmail, primary_phone_e164: '+17185550142' })
    // The other organization's copy is refreshed by the queue consumer.
    await vi.waitFor(async () => {
      const seenByB = await (await api(b, 'GET', `/api/v1/clients/${inB.org_client_id}`)).json<ClientBody>()
      expect(seenByB).toMatchObject({ first_name: 'Mariana', primary_email: newEmail, primary_phone_e164: '+17185550142' })
    }, { timeout: 8000, interval: 200 })

    const person = await (await api(b, 'GET', `/api/v1/people/${inA.person_id}`)).json<{ emails: string[]; primary_email: string }>()
    expect(person.primary_email).toBe(newEmail)
    expect(person.emails).toEqual([newEmail, oldEmail])
  })

  it('ignores an out-of-order older update', async () => {
    const org = await createOrg()
    const email = `order-${unique()}@example.com`
    const client = await createClient(org, { first_name: 'Olive', email })
    await api(org, 'POST', `/api/v1/people/${client.person_id}/contact`, { first_name: 'Olivia' })
    const newer = await (await api(org, 'GET', `/api/v1/people/${client.person_id}`)).json<{ version: number }>()
    expect(newer.version).toBe(2)

    const stale: EventMessage = {
      type: 'contact_updated',
      snapshot: { person_id: client.person_id, first_name: 'Olive', last_name: null, primary_email: email, primary_phone_e164: null, emails: [email], phones: [], version: 1 },
    }
    const batch = createMessageBatch<EventMessage>('homebase-events', [{ id: 'stale-1', timestamp: new Date(), attempts: 1, body: stale }])
    const ctx = createExecutionContext()
    await (worker as ExportedHandler<Env, EventMessage>).queue!(batch, env, ctx)
    const result = await getQueueResult(batch, ctx)
    expect(result.explicitAcks).toEqual(['stale-1'])
    expect(await orgStub(env, org.organizationId).applyPersonSnapshot(stale.snapshot)).toBe(false)

    const seen = await (await api(org, 'GET', `/api/v1/clients/${client.org_client_id}`)).json<ClientBody>()
    expect(seen.first_name).toBe('Olivia')
  })

  it('refuses to move an email that belongs to another person (409) and changes nothing', async () => {
    const org = await createOrg()
    const taken = `taken-${unique()}@example.com`
    await createClient(org, { first_name: 'First', email: taken })
    const other = await createClient(org, { first_name: 'Second', email: `second-${unique()}@example.com` })
    const res = await api(org, 'POST', `/api/v1/people/${other.person_id}/contact`, { email: taken, first_name: 'Changed' })
    expect(res.status).toBe(409)
    const person = await (await api(org, 'GET', `/api/v1/people/${other.person_id}`)).json<{ first_name: string; version: number }>()
    expect(person).toMatchObject({ first_name: 'Second', version: 1 })
  })

  it('answers the seed name /functions/v1/propagate-contact-update the same way', async () => {
    const org = await createOrg()
    const client = await createClient(org, { first_name: 'Seed', email: `seed-${unique()}@example.com` })
    const res = await api(org, 'POST', '/functions/v1/propagate-contact-update', { person_id: client.person_id, last_name: 'Named' }, { apikey: org.apiKey })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ success: true, person_id: client.person_id })
  })
})
