/**
 * Briefs with the Workers AI binding (a stand-in that only makes up the answer): the model's JSON
 * used and stored as sent and answered, bad JSON or a failed call falling back to the built-in
 * answer while the raw response is still stored; and another business: its ids not found with
 * nothing stored, and nothing it knows of the same person in any prompt.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { MODEL } from '../durable-objects/org/sales/assistant/model'
import { leads } from '../durable-objects/org/schema'
import { addDays, localDate } from '../src/time'
import {
  addEstimate,
  addLead,
  brief,
  briefOf,
  dropAi,
  interactionsOf,
  openInvoice,
  stubAi,
  textIn,
  withAna,
  withHost,
} from './helpers/assistant'
import { api, createClient, createOrg } from './helpers/factories'

afterEach(dropAi)

const today = () => localDate(new Date(), 'America/Los_Angeles')

describe('a brief with the Workers AI binding', () => {
  const modelJson = { summary: 'Ana is waiting on a reply.', next_action: 'Text Ana back today', priority: 'high' }

  it("uses the model's JSON and stores the exact prompt sent and the raw answer", async () => {
    const { org, id, phone } = await withAna()
    await textIn(phone, 'Hello?')
    const raw = `\`\`\`json\n${JSON.stringify(modelJson)}\n\`\`\``
    const calls = stubAi(() => ({ response: raw }))
    const b = await briefOf(org, 'clients', id)
    expect(b).toMatchObject({ ...modelJson, model: MODEL })
    expect(calls).toHaveLength(1)
    expect(calls[0]!.model).toBe(MODEL)
    const [system, user] = calls[0]!.inputs.messages
    const [stored] = await interactionsOf(org, `?subject_id=${id}`)
    expect(stored).toMatchObject({ id: b.interaction_id, model: MODEL, response: raw })
    expect(stored!.prompt).toBe(`${system!.content}\n\n${user!.content}`)
    expect(user!.content).toContain('Client: Ana Ruiz')
  })

  it("reads an OpenAI-style answer, and keeps a lead's reading from the model", async () => {
    const { org } = await withAna()
    const id = await addLead(org, { firstName: 'Maria' })
    stubAi(() => ({
      choices: [{ message: { role: 'assistant', content: JSON.stringify({ ...modelJson, priority: 'Medium' }) } }],
    }))
    const b = await briefOf(org, 'leads', id)
    expect(b).toMatchObject({ next_action: 'Text Ana back today', priority: 'medium', model: MODEL })
    const kept = await withHost(org, (host) => host.db.select({ n: leads.aiNextAction }).from(leads).get())
    expect(kept?.n).toBe('Text Ana back today')
  })

  it('falls back to the built-in answer on bad JSON, still storing the raw response', async () => {
    const { org, id } = await withAna()
    const number = await openInvoice(org, id, 14_000, addDays(today(), -9))
    stubAi(() => ({ response: 'Sure! Ana owes you money. {"summary": "cut off' }))
    const b = await briefOf(org, 'clients', id)
    expect(b).toMatchObject({
      model: 'homebase-builtin',
      priority: 'high',
      next_action: `Collect invoice #${number} ($140.00), 9 days overdue`,
    })
    const [stored] = await interactionsOf(org, `?subject_id=${id}`)
    expect(stored).toMatchObject({
      id: b.interaction_id,
      model: MODEL,
      response: 'Sure! Ana owes you money. {"summary": "cut off',
    })
  })

  it('falls back when the JSON lacks a field or names another priority, and when the call fails', async () => {
    const { org, id } = await withAna()
    stubAi(() => ({ response: JSON.stringify({ summary: 'x', next_action: 'y', priority: 'urgent' }) }))
    expect((await briefOf(org, 'clients', id)).model).toBe('homebase-builtin')
    stubAi(() => {
      throw new Error('capacity exceeded')
    })
    const b = await briefOf(org, 'clients', id)
    expect(b).toMatchObject({ model: 'homebase-builtin', priority: 'low' })
    const [stored] = await interactionsOf(org, `?subject_id=${id}`)
    expect(stored).toMatchObject({ id: b.interaction_id, model: MODEL, response: 'error: capacity exceeded' })
  })
})

describe('another business', () => {
  it("gets 404 for a client's or lead's brief and nothing is stored anywhere", async () => {
    const a = await withAna()
    const lead = await addLead(a.org, { firstName: 'Maria' })
    const stranger = await createOrg()
    const calls = stubAi(() => ({ response: '{}' }))
    for (const [subject, id] of [
      ['clients', a.id],
      ['leads', lead],
    ] as const) {
      const res = await brief(stranger, subject, id)
      expect(res.status).toBe(404)
      expect((await res.json<{ error: { code: string } }>()).error.code).toBe('not_found')
    }
    expect(calls).toHaveLength(0)
    expect(await interactionsOf(stranger)).toEqual([])
    expect(await interactionsOf(a.org)).toEqual([])
  })

  it('never puts what another business knows of the same person into a prompt', async () => {
    const a = await withAna()
    const b = await createOrg({ timezone: 'America/Los_Angeles', organization_name: 'Rival Maids' })
    const theirs = await createClient(b, {
      first_name: 'Anastasia',
      last_name: 'Secretname',
      email: a.email,
      phone: a.phone,
      tags: ['b-only-tag'],
    })
    await api(b, 'PATCH', `/api/v1/clients/${theirs.org_client_id}`, { notes: 'B-PRIVATE-NOTE gate code 4321' })
    await openInvoice(b, theirs.org_client_id, 99_900, addDays(today(), -30))
    await addEstimate(b, { org_client_id: theirs.org_client_id, total_cents: 77_700 })
    await api(a.org, 'POST', `/api/v1/clients/${a.id}/messages`, { channel: 'email', body: 'See you soon.' })
    await briefOf(a.org, 'clients', a.id)
    stubAi(() => ({ response: JSON.stringify({ summary: 's', next_action: 'n', priority: 'low' }) }))
    await briefOf(a.org, 'clients', a.id)
    const prompts = (await interactionsOf(a.org)).map((i) => i.prompt).join('\n')
    expect(prompts).toContain('Ana Ruiz')
    for (const secret of [
      'Anastasia',
      'Secretname',
      'B-PRIVATE-NOTE',
      '4321',
      'b-only-tag',
      'Rival Maids',
      '$999.00',
      '$777.00',
    ])
      expect(prompts).not.toContain(secret)
  })
})
