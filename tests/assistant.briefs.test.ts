/**
 * Briefs of a client or lead (POST /api/v1/{clients,leads}/{id}/brief): the built-in rules without
 * the Workers AI binding (each rule, the facts in the prompt, the stored interaction), the model's
 * JSON with a stand-in binding (bad JSON or a failed call falls back and is still stored), another
 * business's ids not found with nothing stored, and nothing of another business in any prompt.
 */
import { env } from 'cloudflare:test'
import { afterEach, describe, expect, it } from 'vitest'
import { MODEL } from '../durable-objects/org/sales/assistant/model'
import { leads } from '../durable-objects/org/schema'
import { addDays, localDate } from '../src/time'
import { shortDate } from '../views/format'
import {
  addActivity,
  addEstimate,
  addLead,
  type Brief,
  brief,
  dropAi,
  interactionsOf,
  stubAi,
  withHost,
} from './helpers/assistant'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'
import { bookJob, twilioPost } from './helpers/messaging'

afterEach(dropAi)

const TZ = 'America/Los_Angeles'
const DAY = 24 * 60 * 60 * 1000
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const today = () => localDate(new Date(), TZ)
const randomPhone = () => `+1415555${String(1000 + Math.floor(Math.random() * 8999))}`

/** A business in Los Angeles with one client, Ana Ruiz. */
async function withAna(extra: Record<string, unknown> = {}) {
  const org = await createOrg({ timezone: 'America/Los_Angeles' })
  const phone = randomPhone()
  const email = `ana-${unique()}@example.com`
  const client = await createClient(org, { first_name: 'Ana', last_name: 'Ruiz', phone, email, ...extra })
  return { org, id: client.org_client_id, phone, email }
}

function textIn(from: string, body: string) {
  return twilioPost('/webhooks/twilio/sms', {
    From: from,
    To: env.TWILIO_FROM_NUMBER!,
    Body: body,
    MessageSid: `SM${crypto.randomUUID().replace(/-/g, '')}`,
    AccountSid: env.TWILIO_ACCOUNT_SID!,
  })
}

/** A text from the client as if it arrived `daysAgo` days ago (the object's clock moved back for it). */
async function textInDaysAgo(org: TestOrg, from: string, body: string, daysAgo: number) {
  const at = new Date(Date.now() - daysAgo * DAY)
  await withHost(org, (host) => host.clock.set(at))
  try {
    expect((await textIn(from, body)).status).toBe(200)
  } finally {
    await withHost(org, (host) => host.clock.set(null))
  }
  return at
}

async function briefOf(org: TestOrg, subject: 'clients' | 'leads', id: string): Promise<Brief> {
  const res = await brief(org, subject, id)
  expect(res.status).toBe(200)
  return res.json<Brief>()
}

async function invoice(org: TestOrg, id: string, cents: number, due: string): Promise<number> {
  const res = await api(org, 'POST', '/api/v1/invoices', {
    org_client_id: id,
    total_cents: cents,
    due_date: due,
    status: 'open',
  })
  expect(res.status).toBe(201)
  return (await res.json<{ invoice: { number: number } }>()).invoice.number
}

describe('a client brief without the AI binding', () => {
  it('puts an unanswered reply first: high, naming the text and the day it came, until staff answer it', async () => {
    const { org, id, phone } = await withAna()
    const at = await textInDaysAgo(org, phone, 'Can you come Thursday instead?', 3)
    const weekday = WEEKDAYS[new Date(`${localDate(at, TZ)}T00:00:00Z`).getUTCDay()]
    const b = await briefOf(org, 'clients', id)
    expect(b).toMatchObject({
      priority: 'high',
      next_action: `Reply to Ana's text from ${weekday}`,
      model: 'homebase-builtin',
    })
    expect(b.summary).toContain('Ana Ruiz is')
    expect(b.summary).toContain('not answered yet')

    expect(
      (await api(org, 'POST', `/api/v1/clients/${id}/messages`, { channel: 'sms', body: 'Sure, Thursday works.' }))
        .status,
    ).toBe(201)
    const after = await briefOf(org, 'clients', id)
    expect(after.priority).toBe('low')
    expect(after.next_action).not.toContain('Reply to')
  })

  it('collects an overdue invoice: high, with its number, balance and days overdue', async () => {
    const { org, id } = await withAna()
    const number = await invoice(org, id, 14_000, addDays(today(), -9))
    const b = await briefOf(org, 'clients', id)
    expect(b).toMatchObject({ priority: 'high', next_action: `Collect invoice #${number} ($140.00), 9 days overdue` })
    expect(b.summary).toContain(`invoice #${number} ($140.00) overdue since`)
  })

  it('follows up on an open estimate: medium, with its amount and how long ago it was sent', async () => {
    const { org, id } = await withAna()
    const number = await addEstimate(org, {
      org_client_id: id,
      total_cents: 84_000,
      sent_at: new Date(Date.now() - 6 * DAY).toISOString(),
    })
    const b = await briefOf(org, 'clients', id)
    expect(b).toMatchObject({
      priority: 'medium',
      next_action: `Follow up on estimate #${number} ($840.00), sent 6 days ago`,
    })
  })

  it('is low with nothing open, naming the next visit', async () => {
    const { org, id } = await withAna()
    const start = new Date(Date.now() + 3 * DAY)
    start.setUTCHours(18, 0, 0, 0)
    await bookJob(org, id, start.toISOString())
    const b = await briefOf(org, 'clients', id)
    expect(b).toMatchObject({
      priority: 'low',
      next_action: `No action needed: next visit ${shortDate(localDate(start, TZ))}`,
    })
  })

  it('takes the highest priority found while naming the first thing to do', async () => {
    const { org, id, phone } = await withAna()
    await addEstimate(org, { org_client_id: id, total_cents: 50_000 })
    await textIn(phone, 'Are you still coming?')
    const b = await briefOf(org, 'clients', id)
    expect(b).toMatchObject({ priority: 'high', next_action: "Reply to Ana's text from today" })
  })

  it('keeps a client who wrote unhappily at high after the reply was answered', async () => {
    const { org, id, phone } = await withAna()
    await textIn(phone, 'The crew was late again and left a mess. Very disappointed.')
    await api(org, 'POST', `/api/v1/clients/${id}/messages`, { channel: 'sms', body: 'So sorry, Ana.' })
    const b = await briefOf(org, 'clients', id)
    expect(b).toMatchObject({ priority: 'high', next_action: 'Call Ana: their text from today read unhappy' })
  })

  it('stores the call: the exact facts as the prompt, the answer as the response, who asked', async () => {
    const { org, id, phone } = await withAna({ tags: ['vip'] })
    const number = await invoice(org, id, 14_000, addDays(today(), -9))
    const estimate = await addEstimate(org, { org_client_id: id, total_cents: 84_000 })
    await addActivity(org, {
      org_client_id: id,
      type: 'call',
      direction: 'outbound',
      summary: 'Left a voicemail about the gate',
      at: new Date(Date.now() - 2 * DAY).toISOString(),
    })
    await textIn(phone, 'Can you send the invoice again?')
    const b = await briefOf(org, 'clients', id)
    const [stored] = await interactionsOf(org, `?subject_id=${id}&kind=brief`)
    expect(stored).toMatchObject({
      id: b.interaction_id,
      kind: 'brief',
      model: 'homebase-builtin',
      subject_type: 'client',
      subject_id: id,
      response: JSON.stringify({ summary: b.summary, next_action: b.next_action, priority: b.priority }),
    })
    const lines = stored!.prompt.split('\n')
    expect(stored!.prompt).toContain('You assist the staff of Sparkle Cleaning')
    expect(lines).toContain(`Today: ${shortDate(today())}, ${today().slice(0, 4)} (${TZ})`)
    expect(lines.find((l) => l.startsWith('Client: '))).toMatch(/^Client: Ana Ruiz, \w+ since .+; tags: vip$/)
    expect(lines).toContain(`Last contact: their text, ${shortDate(today())}`)
    expect(lines).toContain(
      `Last reply: text, ${shortDate(today())}, not answered yet, reads neutral: "Can you send the invoice again?"`,
    )
    expect(lines).toContain(`Open estimate: #${estimate} $840.00, sent ${shortDate(today())}`)
    expect(lines).toContain(
      `Overdue invoices: #${number} $140.00 due ${shortDate(addDays(today(), -9))} (9 days overdue)`,
    )
    expect(lines).toContain(
      `Recent activities: ${shortDate(addDays(today(), -2))} call (outbound): "Left a voicemail about the gate"`,
    )
    const [page] = await interactionsOf(org, `?kind=brief`)
    expect(page!.id).toBe(b.interaction_id)
  })
})

describe('a lead brief without the AI binding', () => {
  it('chases an overdue follow-up (high) and keeps the reading on the lead', async () => {
    const { org } = await withAna()
    const due = new Date(Date.now() - 3 * DAY)
    const id = await addLead(org, {
      firstName: 'Maria',
      lastName: 'Lopez',
      source: 'web_form',
      serviceInterest: 'Deep clean',
      estimatedValueCents: 30_000,
      nextFollowUpAt: due.toISOString(),
      lastContactAt: new Date(Date.now() - 5 * DAY).toISOString(),
    })
    const b = await briefOf(org, 'leads', id)
    expect(b).toMatchObject({
      priority: 'high',
      next_action: `Follow up with Maria: due ${shortDate(localDate(due, TZ))} (3 days overdue)`,
      model: 'homebase-builtin',
    })
    expect(b.summary).toContain('Maria Lopez is a lead from web form')
    expect(b.summary).toContain('interested in Deep clean, worth about $300.00')
    const kept = await withHost(org, (host) =>
      host.db
        .select({ s: leads.aiSummary, n: leads.aiNextAction, p: leads.aiPriority, at: leads.aiUpdatedAt })
        .from(leads)
        .all()
        .find(() => true),
    )
    expect(kept).toMatchObject({ s: b.summary, n: b.next_action, p: 'high' })
    expect(kept!.at).not.toBeNull()
    const [stored] = await interactionsOf(org, `?subject_id=${id}`)
    expect(stored).toMatchObject({ subject_type: 'lead', kind: 'brief', id: b.interaction_id })
    expect(stored!.prompt).toContain('Lead: Maria Lopez, from web form')
    expect(stored!.prompt).toContain('Estimated value: $300.00')
    expect(stored!.prompt).toContain(`Next follow-up: ${shortDate(localDate(due, TZ))} (overdue)`)
  })

  it('answers a logged inbound call not returned since (high)', async () => {
    const { org } = await withAna()
    const id = await addLead(org, { firstName: 'Maria', lastContactAt: new Date().toISOString() })
    await addActivity(org, {
      lead_id: id,
      type: 'call',
      direction: 'outbound',
      summary: 'Intro call',
      at: new Date(Date.now() - 4 * DAY).toISOString(),
    })
    await addActivity(org, {
      lead_id: id,
      type: 'call',
      direction: 'inbound',
      summary: 'Called back',
      at: new Date(Date.now() - 60_000).toISOString(),
    })
    expect(await briefOf(org, 'leads', id)).toMatchObject({
      priority: 'high',
      next_action: "Answer Maria's call from today",
    })
  })

  it('follows up on an open estimate, then a follow-up due within 2 days, at medium', async () => {
    const { org } = await withAna()
    const soon = new Date(Date.now() + DAY)
    const id = await addLead(org, {
      firstName: 'Maria',
      nextFollowUpAt: soon.toISOString(),
      lastContactAt: new Date().toISOString(),
    })
    expect(await briefOf(org, 'leads', id)).toMatchObject({
      priority: 'medium',
      next_action: `Follow up with Maria by ${shortDate(localDate(soon, TZ))}`,
    })
    const number = await addEstimate(org, {
      lead_id: id,
      total_cents: 120_000,
      sent_at: new Date(Date.now() - DAY).toISOString(),
    })
    expect(await briefOf(org, 'leads', id)).toMatchObject({
      priority: 'medium',
      next_action: `Follow up on estimate #${number} ($1,200.00), sent 1 day ago`,
    })
  })

  it('asks for a first contact (medium), and has nothing to chase once lost (low)', async () => {
    const { org } = await withAna()
    const fresh = await addLead(org, { firstName: 'Maria', serviceInterest: 'Move-out clean' })
    expect(await briefOf(org, 'leads', fresh)).toMatchObject({
      priority: 'medium',
      next_action: 'Make first contact with Maria about Move-out clean',
    })
    const lost = await addLead(org, {
      firstName: 'Lou',
      statusId: 'ls_lost',
      nextFollowUpAt: new Date(Date.now() - DAY).toISOString(),
    })
    expect(await briefOf(org, 'leads', lost)).toMatchObject({
      priority: 'low',
      next_action: 'Nothing to chase: marked Lost',
    })
  })
})

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
    const number = await invoice(org, id, 14_000, addDays(today(), -9))
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
    await invoice(b, theirs.org_client_id, 99_900, addDays(today(), -30))
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
