/**
 * Households: people sharing a phone or an email. The matching rule (src/people/identity.ts), and
 * consent keyed by the contact point: a STOP from a shared phone stops texts to everyone on it.
 */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { namesClearlyDiffer, resolvePeople } from '../src/people/identity'
import { peopleDb } from '../src/db'
import { api, createClient, createOrg, unique } from './helpers/factories'
import { twilioPost } from './helpers/messaging'

const sms = (from: string, body: string) =>
  twilioPost('/webhooks/twilio/sms', {
    To: env.TWILIO_FROM_NUMBER!,
    From: from,
    Body: body,
    AccountSid: env.TWILIO_ACCOUNT_SID!,
    MessageSid: `SM${crypto.randomUUID().replace(/-/g, '')}`,
  })

type Client = {
  org_client_id: string
  person_id: string
  first_name: string
  primary_phone_e164: string | null
  primary_email: string | null
  consents: { sms_opt_in: boolean; email_opt_in: boolean }
}

let line = 6000 + Math.floor(Math.random() * 3000)
const nextPhone = () => `+1720555${String(line++).padStart(4, '0')}`

describe('namesClearlyDiffer', () => {
  it('tells household members apart and lets the same person through', () => {
    expect(
      namesClearlyDiffer({ first_name: 'John', last_name: 'Smith' }, { first_name: 'Jane', last_name: 'Smith' }),
    ).toBe(true)
    expect(namesClearlyDiffer({ first_name: 'Ana', last_name: 'Ruiz' }, { first_name: 'Ana', last_name: 'Cole' })).toBe(
      true,
    )
    expect(
      namesClearlyDiffer({ first_name: 'Jennifer', last_name: 'Lee' }, { first_name: 'Jen', last_name: 'Lee' }),
    ).toBe(false)
    expect(namesClearlyDiffer({ first_name: 'José', last_name: null }, { first_name: 'jose', last_name: 'Díaz' })).toBe(
      false,
    )
    expect(namesClearlyDiffer({ first_name: 'Maria', last_name: 'Lopez' }, { first_name: null, last_name: null })).toBe(
      false,
    )
  })
})

describe('resolvePeople', () => {
  it('links a phone to its holder unless the names clearly differ, then makes a new person on the same number', async () => {
    const db = peopleDb(env.PEOPLE)
    const phone = nextPhone()
    const [org, other] = [crypto.randomUUID(), crypto.randomUUID()]
    const [john] = await resolvePeople(db, org, [{ phone, first_name: 'John', last_name: 'Smith' }])
    const [johnny, jane, nameless] = await resolvePeople(db, other, [
      { phone, first_name: 'Johnny', last_name: 'Smith' },
      { phone, first_name: 'Jane', last_name: 'Smith' },
      { phone },
    ])
    expect(johnny).toEqual({ person_id: john!.person_id, is_new: true })
    expect(jane!.person_id).not.toBe(john!.person_id)
    expect(nameless!.person_id).toBe(john!.person_id)
    const holders = await env.PEOPLE.prepare('select count(*) as n from person_phones where phone_e164 = ?')
      .bind(phone)
      .first<{ n: number }>()
    expect(holders?.n).toBe(2)
    // Jane, asked again by the same business, is the same person and no longer new to it.
    const [again] = await resolvePeople(db, other, [{ phone, first_name: 'Jane', last_name: 'Smith' }])
    expect(again).toEqual({ person_id: jane!.person_id, is_new: false })
  })

  it('records which business asserted each contact point', async () => {
    const db = peopleDb(env.PEOPLE)
    const email = `asserted-${unique()}@example.com`
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()]
    const [first] = await resolvePeople(db, a, [{ email }])
    await resolvePeople(db, b, [{ email }])
    const rows = await env.PEOPLE.prepare(
      'select organization_id from contact_assertions where kind = ? and value = ? and person_id = ?',
    )
      .bind('email', email, first!.person_id)
      .all<{ organization_id: string }>()
    expect(rows.results.map((r) => r.organization_id).sort()).toEqual([a, b].sort())
  })
})

describe('a household in one business', () => {
  it('keeps two clients who share a phone apart, and a STOP from that phone stops texts to both', async () => {
    const org = await createOrg()
    const phone = nextPhone()
    const john = await createClient(org, { first_name: 'John', last_name: 'Smith', phone })
    const jane = await createClient(org, { first_name: 'Jane', last_name: 'Smith', phone })
    expect(jane.created).toBe(true)
    expect(jane.org_client_id).not.toBe(john.org_client_id)

    expect((await sms(phone, 'STOP')).status).toBe(200)
    for (const id of [john.org_client_id, jane.org_client_id]) {
      const client = await (await api(org, 'GET', `/api/v1/clients/${id}`)).json<Client>()
      expect(client.consents).toMatchObject({ sms_opt_in: false, email_opt_in: true })
    }
    const timeline = async (id: string) =>
      (
        await (await api(org, 'GET', `/api/v1/clients/${id}/timeline`)).json<{ items: Array<{ type: string }> }>()
      ).items.map((i) => i.type)
    expect(await timeline(john.org_client_id)).toContain('sms_opt_out')
    expect(await timeline(jane.org_client_id)).toContain('sms_opt_out')
  })

  it('keys SMS consent to the number: a new phone on the card has not said STOP', async () => {
    const org = await createOrg()
    const [old, fresh] = [nextPhone(), nextPhone()]
    const client = await createClient(org, { first_name: 'Lena', phone: old })
    expect((await sms(old, 'stop')).status).toBe(200)
    const consent = async () =>
      (await (await api(org, 'GET', `/api/v1/clients/${client.org_client_id}`)).json<Client>()).consents
    expect(await consent()).toMatchObject({ sms_opt_in: false })
    // The law keys SMS consent to the number: a new number on the card has not said STOP.
    await api(org, 'PATCH', `/api/v1/clients/${client.org_client_id}`, { phone: fresh })
    expect(await consent()).toMatchObject({ sms_opt_in: true })
    // The registry learns the new number as this business's word, so later matching finds the person.
    const asserted = await env.PEOPLE.prepare(
      "select person_id from contact_assertions where kind = 'phone' and value = ? and organization_id = ?",
    )
      .bind(fresh, org.organizationId)
      .first<{ person_id: string }>()
    expect(asserted?.person_id).toBe(client.person_id)
  })
})

describe('one shared email across businesses', () => {
  it('links to one person; each business keeps its own name for them and its own email consent', async () => {
    const [a, b] = [await createOrg(), await createOrg()]
    const email = `family-${unique()}@example.com`
    const inA = await createClient(a, { first_name: 'Sam', last_name: 'Park', email })
    const inB = await createClient(b, { first_name: 'Samantha', last_name: 'Park', email })
    expect(inB.person_id).toBe(inA.person_id)
    const readA = await (await api(a, 'GET', `/api/v1/clients/${inA.org_client_id}`)).json<Client>()
    const readB = await (await api(b, 'GET', `/api/v1/clients/${inB.org_client_id}`)).json<Client>()
    expect([readA.first_name, readB.first_name]).toEqual(['Sam', 'Samantha'])
    await api(a, 'POST', `/api/v1/clients/${inA.org_client_id}/consents`, {
      email_opt_in: false,
      reason: 'asked by phone',
    })
    expect(
      (await (await api(a, 'GET', `/api/v1/clients/${inA.org_client_id}`)).json<Client>()).consents.email_opt_in,
    ).toBe(false)
    expect(
      (await (await api(b, 'GET', `/api/v1/clients/${inB.org_client_id}`)).json<Client>()).consents.email_opt_in,
    ).toBe(true)
  })
})
