/**
 * Support tickets from a business's side: open one through the API or the Help page, read the
 * thread, reply (a closed ticket opens again), close; the built-in assistant's reading stored on
 * each; another business's ticket simply not found, with nothing changed.
 */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { Ticket } from '../src/support/tickets'
import { api, createOrg } from './helpers/factories'
import { openTicket, signedIn } from './helpers/support'

const HX = { 'hx-request': 'true' }

const ticketsOf = async (org: Awaited<ReturnType<typeof createOrg>>) => {
  const res = await api(org, 'GET', '/api/v1/support/tickets')
  expect(res.status).toBe(200)
  return (await res.json<{ items: Ticket[] }>()).items
}

const stored = (ticketId: string) =>
  env.PEOPLE.prepare('select * from support_tickets where id = ?').bind(ticketId).first<Record<string, unknown>>()

describe('POST /api/v1/support/tickets', () => {
  it('opens a ticket that the business lists with its status, priority and no replies yet', async () => {
    const org = await createOrg()
    const id = await openTicket(org, {
      subject: 'Import stuck',
      body: 'My CSV import stopped at 40%.',
      priority: 'high',
    })
    const [ticket, ...rest] = await ticketsOf(org)
    expect(rest).toEqual([])
    expect(ticket).toMatchObject({
      ticket_id: id,
      subject: 'Import stuck',
      body: 'My CSV import stopped at 40%.',
      status: 'open',
      priority: 'high',
      replies: [],
    })
    expect(ticket!.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T/)
    expect(await stored(id)).toMatchObject({ organization_id: org.organizationId, opened_by: org.userId })
  })

  it('takes normal as the priority when none is given', async () => {
    const org = await createOrg()
    await openTicket(org, { subject: 'Hello', body: 'Just checking in.' })
    expect((await ticketsOf(org))[0]!.priority).toBe('normal')
  })

  it('refuses an empty subject, a subject over 200 characters, a body over 10,000 and an unknown priority', async () => {
    const org = await createOrg()
    for (const body of [
      { subject: ' ', body: 'x' },
      { subject: 'x'.repeat(201), body: 'x' },
      { subject: 'x', body: 'x'.repeat(10_001) },
      { subject: 'x', body: 'x', priority: 'urgent' },
    ]) {
      const res = await api(org, 'POST', '/api/v1/support/tickets', body)
      expect(res.status).toBe(400)
      expect((await res.json<{ error: { code: string } }>()).error.code).toBe('invalid_input')
    }
    expect(await ticketsOf(org)).toEqual([])
  })

  it('reads the ticket with the built-in assistant and keeps the interaction', async () => {
    const org = await createOrg({ organization_name: 'Pine Plumbing' })
    const id = await openTicket(org, {
      subject: 'Login',
      body: "I can't log in since this morning. The page just reloads.",
    })
    // A first sentence under 40 characters takes the second along.
    expect(await stored(id)).toMatchObject({
      ai_summary: "I can't log in since this morning. The page just reloads.",
      suggested_priority: 'high',
    })
    const interaction = await env.PEOPLE.prepare('select * from support_ai_interactions where ticket_id = ?')
      .bind(id)
      .first<{ kind: string; model: string; prompt: string; response: string }>()
    expect(interaction).toMatchObject({ kind: 'ticket_summary', model: 'homebase-builtin' })
    expect(interaction!.prompt).toContain('Business: Pine Plumbing, on the Free plan')
    expect(interaction!.prompt).toContain(`Message: "I can't log in since this morning. The page just reloads."`)
    expect(JSON.parse(interaction!.response)).toEqual({
      summary: "I can't log in since this morning. The page just reloads.",
      priority: 'high',
    })
  })
})

describe('replies and closing through the API', () => {
  it('adds the business reply to the thread, and a reply to a closed ticket opens it again', async () => {
    const org = await createOrg()
    const id = await openTicket(org, { subject: 'Texts', body: 'Are texts delayed today?' })
    const closed = await api(org, 'POST', `/api/v1/support/tickets/${id}/close`)
    expect(closed.status).toBe(200)
    expect((await closed.json<Ticket>()).status).toBe('closed')
    expect((await stored(id))!['closed_at']).not.toBeNull()

    const res = await api(org, 'POST', `/api/v1/support/tickets/${id}/replies`, { body: 'Still happening, sorry.' })
    expect(res.status).toBe(201)
    const ticket = await res.json<Ticket>()
    expect(ticket.status).toBe('open')
    expect(ticket.replies).toEqual([
      { body: 'Still happening, sorry.', from: 'business', created_at: expect.any(String) },
    ])
    expect((await stored(id))!['closed_at']).toBeNull()
    // The business's latest words join the assistant's summary.
    expect((await stored(id))!['ai_summary']).toBe(
      'Are texts delayed today? Latest from the business: Still happening, sorry.',
    )
  })

  it('closes with PATCH {status: "closed"} too, and refuses any other status', async () => {
    const org = await createOrg()
    const id = await openTicket(org, { subject: 'Done', body: 'Solved it myself.' })
    expect((await api(org, 'PATCH', `/api/v1/support/tickets/${id}`, { status: 'pending' })).status).toBe(400)
    const res = await api(org, 'PATCH', `/api/v1/support/tickets/${id}`, { status: 'closed' })
    expect(res.status).toBe(200)
    expect((await res.json<Ticket>()).status).toBe('closed')
  })

  it('answers 404 to another business reading, replying to or closing a ticket that is not its own, changing nothing', async () => {
    const org = await createOrg()
    const stranger = await createOrg()
    const id = await openTicket(org, { subject: 'Mine', body: 'Only for us.' })
    expect((await api(stranger, 'GET', `/api/v1/support/tickets/${id}`)).status).toBe(404)
    expect((await api(stranger, 'POST', `/api/v1/support/tickets/${id}/replies`, { body: 'Hi' })).status).toBe(404)
    expect((await api(stranger, 'POST', `/api/v1/support/tickets/${id}/close`)).status).toBe(404)
    expect((await api(stranger, 'PATCH', `/api/v1/support/tickets/${id}`, { status: 'closed' })).status).toBe(404)
    expect(await ticketsOf(stranger)).toEqual([])
    const [mine] = await ticketsOf(org)
    expect(mine).toMatchObject({ ticket_id: id, status: 'open', replies: [] })
  })

  it('needs an API key', async () => {
    expect((await api(null, 'GET', '/api/v1/support/tickets')).status).toBe(401)
  })
})

describe('/app/support pages', () => {
  it('lists tickets and opens a new one from the form without JavaScript', async () => {
    const org = await createOrg()
    const { staff, csrf } = await signedIn(org)
    const empty = await (await staff.get('/app/support')).text()
    expect(empty).toContain('data-testid="tickets-empty"')
    expect(empty).toContain('href="/app/support"')

    const res = await staff.post('/app/support', {
      _csrf: csrf,
      subject: 'Reminders',
      body: 'How do I change the reminder text?',
      priority: 'low',
    })
    expect(res.status).toBe(303)
    const [ticket] = await ticketsOf(org)
    expect(res.headers.get('location')).toBe(`/app/support/${ticket!.ticket_id}`)
    expect(ticket).toMatchObject({ subject: 'Reminders', priority: 'low', status: 'open' })

    const list = await (await staff.get('/app/support')).text()
    expect(list).toContain(`href="/app/support/${ticket!.ticket_id}"`)
    const page = await (await staff.get(`/app/support/${ticket!.ticket_id}`)).text()
    expect(page).toContain('How do I change the reminder text?')
    expect(page).toContain('data-testid="reply-form"')
  })

  it('gives the form back filled in with the error beside the empty field', async () => {
    const org = await createOrg()
    const { staff, csrf } = await signedIn(org)
    const res = await staff.post('/app/support', { _csrf: csrf, subject: 'Half a ticket', body: '' })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('value="Half a ticket"')
    expect(html).toContain('id="f-body-error"')
    expect(await ticketsOf(org)).toEqual([])
  })

  it('replies and closes from the ticket page, in place with htmx and with plain posts', async () => {
    const org = await createOrg()
    const id = await openTicket(org, { subject: 'Calendar', body: 'The week view is empty.' })
    const { staff, csrf } = await signedIn(org)

    const swapped = await staff.post(`/app/support/${id}/replies`, { _csrf: csrf, body: 'Fixed after a reload.' }, HX)
    expect(swapped.status).toBe(200)
    const html = await swapped.text()
    expect(html.startsWith('<section id="ticket"')).toBe(true)
    expect(html).toContain('Fixed after a reload.')

    const closed = await staff.post(`/app/support/${id}/close`, { _csrf: csrf })
    expect(closed.status).toBe(303)
    expect(closed.headers.get('location')).toBe(`/app/support/${id}`)
    expect((await ticketsOf(org))[0]!.status).toBe('closed')
    expect(await (await staff.get(`/app/support/${id}`)).text()).toContain('Reply (opens the ticket again)')
  })

  it("is a 404 for another business's ticket, and refuses a post without the CSRF token", async () => {
    const org = await createOrg()
    const id = await openTicket(org, { subject: 'Ours', body: 'Private.' })
    const { staff, csrf } = await signedIn(await createOrg())
    expect((await staff.get(`/app/support/${id}`)).status).toBe(404)
    expect((await staff.post(`/app/support/${id}/replies`, { _csrf: csrf, body: 'Hi' })).status).toBe(404)
    expect((await staff.post(`/app/support/${id}/close`, { _csrf: csrf })).status).toBe(404)
    const own = await signedIn(org)
    expect((await own.staff.post(`/app/support/${id}/close`, {})).status).toBe(403)
    expect((await ticketsOf(org))[0]).toMatchObject({ status: 'open', replies: [] })
  })
})
