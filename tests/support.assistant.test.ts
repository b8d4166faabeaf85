/**
 * The assistant on tickets: the built-in rules (priority keywords, the summary's first sentences),
 * the model's JSON read defensively, the model used when bound with its exact prompt stored, a bad
 * answer falling back to the rules, and a prompt that holds the ticket, the business's name and
 * plan, and nothing of its clients.
 */
import { env } from 'cloudflare:test'
import { afterEach, describe, expect, it } from 'vitest'
import { MODEL } from '../durable-objects/org/sales/assistant/model'
import { builtinPriority, firstSentences, parseReading } from '../src/support/triage'
import { dropAi, stubAi } from './helpers/assistant'
import { createClient, createOrg } from './helpers/factories'
import { openTicket } from './helpers/support'

afterEach(dropAi)

const ticketRow = (id: string) =>
  env.PEOPLE.prepare('select ai_summary, suggested_priority from support_tickets where id = ?')
    .bind(id)
    .first<{ ai_summary: string; suggested_priority: string }>()

const interactionsOf = async (id: string) =>
  (
    await env.PEOPLE.prepare(
      'select model, prompt, response from support_ai_interactions where ticket_id = ? order by created_at',
    )
      .bind(id)
      .all<{ model: string; prompt: string; response: string }>()
  ).results

describe('the built-in priority', () => {
  it.each([
    ["I can't log in to HomeBase", 'high'],
    ['We cannot sign in since the update', 'high'],
    ['We were charged twice', 'high'],
    ['Is the app down?', 'high'],
    ['URGENT: reminders', 'high'],
    ['All texts failing since 9am', 'high'],
    ['all of our reminders are not going out', 'high'],
    ['None of our reminders are going out since Monday', 'high'],
    ['How do I add a tech?', 'low'],
    ['Feature request: dark mode', 'low'],
    ['Is there a way to print invoices?', 'low'],
    ['How do I fix this? Urgent, we are locked out', 'high'],
    ['The invoice total looks wrong', 'normal'],
    ['Please add a drop-down for the tax rate', 'normal'],
  ])('reads "%s" as %s', (words, priority) => {
    expect(builtinPriority([words])).toBe(priority)
  })

  it('reads curly apostrophes as straight ones', () => {
    expect(builtinPriority(['I can’t log in'])).toBe('high')
  })
})

describe('the built-in summary', () => {
  it('is the first sentence, with the second when the first is short, cut at a word', () => {
    expect(firstSentences('The schedule shows nothing for next week at all. Other weeks are fine.')).toBe(
      'The schedule shows nothing for next week at all.',
    )
    expect(firstSentences('Hi there!  Our   invoices\nwill not send.')).toBe('Hi there! Our invoices will not send.')
    expect(firstSentences(`${'word '.repeat(80)}end.`, 40)).toBe('word word word word word word word…')
  })
})

describe("reading a model's answer", () => {
  it('takes complete JSON, in code fences or with words around it, and "medium" as normal', () => {
    expect(parseReading('```json\n{"summary": "Cannot sign in.", "priority": "High"}\n```')).toEqual({
      summary: 'Cannot sign in.',
      priority: 'high',
    })
    expect(parseReading('Sure: {"summary": "A question.", "priority": "medium"} done')).toEqual({
      summary: 'A question.',
      priority: 'normal',
    })
  })

  it('refuses prose, cut-off JSON, an empty summary and an unknown priority', () => {
    for (const raw of [
      'The business cannot sign in.',
      '{"summary": "Cannot sign',
      '{"summary": "", "priority": "high"}',
      '{"summary": "x", "priority": "critical"}',
      '[1, 2]',
    ])
      expect(parseReading(raw)).toBeNull()
  })
})

describe('with the Workers AI binding', () => {
  it("keeps the model's reading and stores the exact prompt it was sent and its raw answer", async () => {
    const org = await createOrg({ organization_name: 'Birch Roofing' })
    const raw = '{"summary": "Birch Roofing wants to know how to add a second tech.", "priority": "low"}'
    const calls = stubAi(() => ({ response: raw }))
    const id = await openTicket(org, { subject: 'Team', body: 'How do I add a second tech to my team?' })
    expect(await ticketRow(id)).toEqual({
      ai_summary: 'Birch Roofing wants to know how to add a second tech.',
      suggested_priority: 'low',
    })
    expect(calls).toHaveLength(1)
    expect(calls[0]!.model).toBe(MODEL)
    const [system, user] = calls[0]!.inputs.messages
    const [stored] = await interactionsOf(id)
    expect(stored).toEqual({ model: MODEL, prompt: `${system!.content}\n\n${user!.content}`, response: raw })
    expect(calls[0]!.inputs['response_format']).toEqual({ type: 'json_object' })
  })

  it('falls back to the rules on an answer it cannot read or a failed call, still keeping what came back', async () => {
    const org = await createOrg()
    stubAi(() => ({ response: 'I think this is urgent.' }))
    const id = await openTicket(org, {
      subject: 'Texts',
      body: 'All texts failing since this morning, customers are upset.',
    })
    expect(await ticketRow(id)).toEqual({
      ai_summary: 'All texts failing since this morning, customers are upset.',
      suggested_priority: 'high',
    })
    expect((await interactionsOf(id))[0]).toMatchObject({ model: MODEL, response: 'I think this is urgent.' })

    stubAi(() => {
      throw new Error('capacity exceeded')
    })
    const other = await openTicket(org, { subject: 'Idea', body: 'A feature for photos on jobs would be great.' })
    expect((await ticketRow(other))!.suggested_priority).toBe('low')
    expect((await interactionsOf(other))[0]!.response).toBe('error: capacity exceeded')
  })
})

describe("what enters a ticket's prompt", () => {
  it("names the business and its plan, and holds nothing of the business's clients", async () => {
    const org = await createOrg({ organization_name: 'Cedar Pools' })
    await createClient(org, { first_name: 'Zelda', last_name: 'Quartermaine', email: 'zelda.q@example.com' })
    await env.PEOPLE.prepare(
      "insert into subscriptions (organization_id, plan_id, status, mrr_cents) values (?, 'plan_pro', 'active', 9900)",
    )
      .bind(org.organizationId)
      .run()
    const id = await openTicket(org, { subject: 'Reports', body: 'The revenue report is blank.' })
    const [stored] = await interactionsOf(id)
    expect(stored!.prompt).toContain('Business: Cedar Pools, on the Pro plan')
    expect(stored!.prompt).toContain('Subject: Reports')
    expect(stored!.prompt).not.toMatch(/Zelda|Quartermaine|zelda\.q/)
  })
})
