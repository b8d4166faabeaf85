/**
 * Tickets both ways: a business opens one, an operator sees it on the desk with the assistant's
 * summary, suggested priority and stored interaction, answers (the business reads the answer and
 * gets it by email) and keeps internal notes the business never sees, on the API or the pages;
 * triage (status, priority, an assignee who must be an operator); and the desk 404s to everyone else.
 */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { DeskTicket } from '../src/support/desk'
import type { Ticket } from '../src/support/tickets'
import { api, createOrg, type TestOrg } from './helpers/factories'
import { emailsTo, type Operator, openTicket, signedIn, signInOperator } from './helpers/support'

const HX = { 'hx-request': 'true' }

async function businessTickets(org: TestOrg): Promise<Ticket[]> {
  return (await (await api(org, 'GET', '/api/v1/support/tickets')).json<{ items: Ticket[] }>()).items
}

async function deskOf(op: Operator, query: string): Promise<DeskTicket[]> {
  const res = await op.json('GET', `/admin/api/tickets${query}`)
  expect(res.status).toBe(200)
  return (await res.json<{ items: DeskTicket[] }>()).items
}

describe('a ticket both ways', () => {
  it('reaches the desk read by the assistant; the answer reaches the business by page and email; a note reaches no one', async () => {
    const org = await createOrg({ organization_name: 'Harbor HVAC' })
    const id = await openTicket(org, {
      subject: 'Charged twice',
      body: 'We were charged twice for the Pro plan this month. Please refund one.',
    })
    const op = await signInOperator()

    const [seen] = await deskOf(op, `?organization_id=${org.organizationId}`)
    expect(seen).toMatchObject({
      ticket_id: id,
      organization_id: org.organizationId,
      organization_name: 'Harbor HVAC',
      status: 'open',
      priority: 'normal',
      assignee: null,
      ai_summary: 'We were charged twice for the Pro plan this month.',
      suggested_priority: 'high',
      replies: [],
    })
    const interactions = await (await op.json('GET', `/admin/api/tickets/${id}/interactions`)).json<{
      items: Array<{ kind: string; model: string; prompt: string }>
    }>()
    expect(interactions.items).toHaveLength(1)
    expect(interactions.items[0]).toMatchObject({ kind: 'ticket_summary', model: 'homebase-builtin' })
    expect(interactions.items[0]!.prompt).toContain('Subject: Charged twice')

    const answered = await op.json('POST', `/admin/api/tickets/${id}/replies`, {
      body: 'Refunded: you will see it in 5 days.',
    })
    expect(answered.status).toBe(201)
    expect((await answered.json<{ ticket: DeskTicket }>()).ticket.status).toBe('pending')
    const noted = await op.json('POST', `/admin/api/tickets/${id}/replies`, {
      body: 'Stripe showed a retried invoice; watch this account.',
      internal: true,
    })
    expect(noted.status).toBe(201)

    const [theirs] = await businessTickets(org)
    expect(theirs!.status).toBe('pending')
    expect(theirs!.replies).toEqual([
      { body: 'Refunded: you will see it in 5 days.', from: 'operator', created_at: expect.any(String) },
    ])
    expect(JSON.stringify(await businessTickets(org))).not.toContain('watch this account')

    const mail = await emailsTo(org.email)
    expect(mail).toHaveLength(1)
    expect(mail[0]!.subject).toBe('Re: Charged twice [HomeBase support]')
    expect(mail[0]!.body).toContain('Refunded: you will see it in 5 days.')
    expect(mail[0]!.body).toContain(`https://homebase.test/app/support/${id}`)
    expect(mail[0]!.body).not.toContain('watch this account')

    const { staff } = await signedIn(org)
    const page = await (await staff.get(`/app/support/${id}`)).text()
    expect(page).toContain('Refunded: you will see it in 5 days.')
    expect(page).toContain('HomeBase support')
    expect(page).not.toContain('watch this account')
    expect(page).not.toContain('Internal note')

    const [desk] = await deskOf(op, `?organization_id=${org.organizationId}`)
    expect(desk!.replies.map((r) => [r.from, r.internal, r.author])).toEqual([
      ['operator', false, 'ops@homebase.test'],
      ['operator', true, 'ops@homebase.test'],
    ])
    const deskPage = await (await op.staff.get(`/admin/tickets/${id}`)).text()
    expect(deskPage).toMatch(/data-internal="true"[^>]*>[\s\S]*watch this account/)
    expect(deskPage).toContain(`href="/admin/organizations/${org.organizationId}"`)
  })

  it("the business's reply opens the ticket again and the assistant reads it again", async () => {
    const org = await createOrg()
    const id = await openTicket(org, { subject: 'Export', body: 'How do I export my clients?' })
    const op = await signInOperator()
    await op.json('POST', `/admin/api/tickets/${id}/replies`, { body: 'Clients › Export CSV.' })
    await api(org, 'POST', `/api/v1/support/tickets/${id}/replies`, { body: 'That button is missing. Urgent, please!' })
    const [t] = await deskOf(op, `?organization_id=${org.organizationId}`)
    expect(t).toMatchObject({
      status: 'open',
      suggested_priority: 'high',
      ai_summary: 'How do I export my clients? Latest from the business: That button is missing. Urgent, please!',
    })
    const { items } = await (await op.json('GET', `/admin/api/tickets/${id}/interactions`)).json<{ items: unknown[] }>()
    expect(items).toHaveLength(2)
  })

  it('emails the owners when whoever opened the ticket has left the team', async () => {
    const org = await createOrg()
    const id = await openTicket(org, { subject: 'Hi', body: 'A question.' })
    await env.PEOPLE.prepare('update support_tickets set opened_by = ? where id = ?').bind('gone-account', id).run()
    const op = await signInOperator()
    await op.json('POST', `/admin/api/tickets/${id}/replies`, { body: 'Here is the answer.' })
    expect((await emailsTo(org.email)).map((m) => m.body)).toEqual([expect.stringContaining('Here is the answer.')])
  })
})

describe('triage: PATCH /admin/api/tickets/{id}', () => {
  it('sets status, priority and an operator as assignee by email; refuses anyone else as assignee', async () => {
    const org = await createOrg()
    const id = await openTicket(org, { subject: 'Slow', body: 'Pages are slow.' })
    const op = await signInOperator()
    const res = await op.json('PATCH', `/admin/api/tickets/${id}`, {
      status: 'closed',
      priority: 'high',
      assignee: 'OPS@homebase.test',
    })
    expect(res.status).toBe(200)
    expect(await res.json<DeskTicket>()).toMatchObject({
      status: 'closed',
      priority: 'high',
      assignee: 'ops@homebase.test',
    })

    for (const assignee of [org.email, 'nobody@example.com', org.userId, 'support@homebase.test']) {
      const refused = await op.json('PATCH', `/admin/api/tickets/${id}`, { assignee })
      expect(refused.status).toBe(400)
    }
    expect((await (await op.json('GET', `/admin/api/tickets/${id}`)).json<DeskTicket>()).assignee).toBe(
      'ops@homebase.test',
    )
    const unassigned = await op.json('PATCH', `/admin/api/tickets/${id}`, { assignee: null })
    expect((await unassigned.json<DeskTicket>()).assignee).toBeNull()
    expect((await op.json('PATCH', `/admin/api/tickets/${id}`, {})).status).toBe(400)
  })

  it('is a 404 for an unknown ticket', async () => {
    const op = await signInOperator()
    const unknown = crypto.randomUUID()
    expect((await op.json('PATCH', `/admin/api/tickets/${unknown}`, { status: 'open' })).status).toBe(404)
    expect((await op.json('POST', `/admin/api/tickets/${unknown}/replies`, { body: 'x' })).status).toBe(404)
  })

  it('filters the desk by status and priority, newest first', async () => {
    const org = await createOrg()
    const first = await openTicket(org, { subject: 'First', body: 'One.', priority: 'low' })
    const second = await openTicket(org, { subject: 'Second', body: 'Two.', priority: 'high' })
    const op = await signInOperator()
    await op.json('PATCH', `/admin/api/tickets/${first}`, { status: 'closed' })
    const scope = `organization_id=${org.organizationId}`
    expect((await deskOf(op, `?${scope}`)).map((t) => t.ticket_id)).toEqual([second, first])
    expect((await deskOf(op, `?${scope}&status=closed`)).map((t) => t.ticket_id)).toEqual([first])
    expect((await deskOf(op, `?${scope}&priority=high`)).map((t) => t.ticket_id)).toEqual([second])
    expect((await op.json('GET', '/admin/api/tickets?status=bogus')).status).toBe(400)
  })
})

describe('the desk pages', () => {
  it('lists tickets with their business and summary, and answers and notes from the ticket page without JavaScript', async () => {
    const org = await createOrg({ organization_name: 'Maple Lawn' })
    const id = await openTicket(org, { subject: 'Feature idea', body: 'A feature to text photos would help.' })
    const op = await signInOperator()
    const list = await (await op.staff.get('/admin/tickets?priority=normal')).text()
    expect(list).toContain(`href="/admin/tickets/${id}"`)
    expect(list).toContain('Maple Lawn')
    expect(list).toContain('A feature to text photos would help.')
    expect(await (await op.staff.get('/admin/tickets?priority=high')).text()).not.toContain(`/admin/tickets/${id}"`)

    const sent = await op.staff.post(`/admin/tickets/${id}/replies`, {
      _csrf: op.csrf,
      body: 'Noted, thanks!',
      kind: 'reply',
    })
    expect(sent.status).toBe(303)
    expect(sent.headers.get('location')).toBe(`/admin/tickets/${id}`)
    const note = await op.staff.post(
      `/admin/tickets/${id}/replies`,
      { _csrf: op.csrf, body: 'Add to roadmap.', kind: 'note' },
      HX,
    )
    expect(note.status).toBe(200)
    expect(await note.text()).toContain('Note saved. Only operators see it.')
    expect(await emailsTo(org.email)).toHaveLength(1)

    const triage = await op.staff.post(`/admin/tickets/${id}`, {
      _csrf: op.csrf,
      status: 'closed',
      priority: 'low',
      assignee: 'ops@homebase.test',
    })
    expect(triage.status).toBe(303)
    const bad = await op.staff.post(`/admin/tickets/${id}`, {
      _csrf: op.csrf,
      status: 'open',
      priority: 'low',
      assignee: org.email,
    })
    expect(bad.status).toBe(422)
    expect(await bad.text()).toContain('Pick one of the operators.')
    const [t] = await deskOf(op, `?organization_id=${org.organizationId}`)
    expect(t).toMatchObject({ status: 'closed', priority: 'low', assignee: 'ops@homebase.test' })

    const { staff } = await signedIn(org)
    const theirs = await (await staff.get(`/app/support/${id}`)).text()
    expect(theirs).toContain('Noted, thanks!')
    expect(theirs).not.toContain('Add to roadmap.')
  })
})

describe('who may use the desk', () => {
  it('answers 404 to a business owner and to anyone signed out, on the API and the pages', async () => {
    const org = await createOrg()
    const id = await openTicket(org, { subject: 'Private', body: 'Ours.' })
    const { staff, csrf } = await signedIn(org)
    expect((await staff.get('/admin/api/tickets')).status).toBe(404)
    expect((await staff.get('/admin/tickets')).status).toBe(404)
    expect((await staff.get(`/admin/tickets/${id}`)).status).toBe(404)
    expect(
      (await staff.post(`/admin/tickets/${id}/replies`, { _csrf: csrf, body: 'Sneaky', kind: 'reply' })).status,
    ).toBe(404)
    expect((await api(org, 'GET', '/admin/api/tickets')).status).toBe(404)
    expect((await api(null, 'GET', '/admin/api/tickets')).status).toBe(404)
    expect((await businessTickets(org))[0]!.replies).toEqual([])
  })

  it("refuses an operator's change without the CSRF token", async () => {
    const org = await createOrg()
    const id = await openTicket(org, { subject: 'Token', body: 'Check.' })
    const op = await signInOperator()
    expect((await op.staff.post(`/admin/tickets/${id}/replies`, { body: 'No token', kind: 'reply' })).status).toBe(403)
    expect((await businessTickets(org))[0]!.replies).toEqual([])
  })
})
