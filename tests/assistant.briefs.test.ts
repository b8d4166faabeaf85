/**
 * Briefs of a client or lead (POST /api/v1/{clients,leads}/{id}/brief) without the Workers AI
 * binding: each of the built-in rules, word for word; the exact facts in the stored prompt; the
 * stored interaction; a lead's brief kept on the lead. (With the binding: assistant.model.test.ts.)
 */
import { expect, describe, it } from 'vitest'
import { leads } from '../durable-objects/org/schema'
import { addDays, localDate } from '../src/time'
import { shortDate } from '../views/format'
import {
  addActivity,
  addEstimate,
  addLead,
  briefOf,
  interactionsOf,
  openInvoice,
  textIn,
  withAna,
  withHost,
} from './helpers/assistant'
import { api, type TestOrg } from './helpers/factories'
import { bookJob } from './helpers/messaging'

const TZ = 'America/Los_Angeles'
const DAY = 24 * 60 * 60 * 1000
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const today = () => localDate(new Date(), TZ)

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
    const number = await openInvoice(org, id, 14_000, addDays(today(), -9))
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
    const number = await openInvoice(org, id, 14_000, addDays(today(), -9))
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
