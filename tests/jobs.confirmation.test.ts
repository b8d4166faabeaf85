/** The booking confirmation: SMS else email, unless `notify:false`; consent respected, quiet hours waited out, once a visit. */
import { describe, expect, it } from 'vitest'
import { api, createOrg } from './helpers/factories'
import { messagesOf, orgWithClient } from './helpers/messaging'

const book = (org: Parameters<typeof api>[0], body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api(org, 'POST', '/api/v1/jobs', { start_at: '2031-03-04T17:00:00Z', ...body }, headers)

describe('booking confirmation', () => {
  it('texts the client the visit in the business time zone', async () => {
    const { org, client, phone } = await orgWithClient()
    const res = await book(org, { org_client_id: client.org_client_id })
    expect(res.status).toBe(201)
    const body = await res.json<{ job: { id: string }; confirmation: { message_id: string; channel: string } }>()
    const sent = await messagesOf(org, '?purpose=confirmation')
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ id: body.confirmation.message_id, channel: 'sms', to: phone })
    expect(sent[0]!.status).toMatch(/queued|sent/)
    // 17:00 UTC is 9:00 in Los Angeles (PST).
    expect(sent[0]!.body).toBe(
      "Sparkle Cleaning: you're booked on Tue, Mar 4 at 9:00 AM. Reply to this message if you need to change it.",
    )
  })

  it('sends nothing for a visit recorded after it happened', async () => {
    const { org, client } = await orgWithClient()
    const res = await book(org, { org_client_id: client.org_client_id, start_at: '2021-03-04T17:00:00Z' })
    expect(res.status).toBe(201)
    expect((await res.json<{ confirmation: unknown }>()).confirmation).toEqual({ skipped: 'past_visit' })
    expect(await messagesOf(org, '?purpose=confirmation')).toEqual([])
  })

  it('sends nothing with notify:false', async () => {
    const { org, client } = await orgWithClient()
    const res = await book(org, { org_client_id: client.org_client_id, notify: false })
    expect(res.status).toBe(201)
    expect((await res.json<{ confirmation: unknown }>()).confirmation).toBeNull()
    expect(await messagesOf(org, '?purpose=confirmation')).toEqual([])
  })

  it('emails a client who opted out of texts, and a client without a phone', async () => {
    const { org, client, email } = await orgWithClient()
    await api(org, 'POST', `/api/v1/clients/${client.org_client_id}/consents`, { sms_opt_in: false, reason: 'asked' })
    await book(org, { org_client_id: client.org_client_id })
    const sent = await messagesOf(org, '?purpose=confirmation')
    expect(sent.map((m) => [m.channel, m.to])).toEqual([['email', email]])
    expect(sent[0]!.subject).toBe('Sparkle Cleaning: your visit is booked')

    const { org: other, email: noPhoneEmail } = await orgWithClient({ phone: null })
    const res = await book(other, { client: { first_name: 'Jo', email: noPhoneEmail } })
    expect(res.status).toBe(201)
    expect((await messagesOf(other, '?purpose=confirmation')).map((m) => m.channel)).toEqual(['email'])
  })

  it('says why nothing went when the client may not be contacted at all', async () => {
    const { org, client } = await orgWithClient({ email: null })
    await api(org, 'POST', `/api/v1/clients/${client.org_client_id}/consents`, { sms_opt_in: false, reason: 'asked' })
    const res = await book(org, { org_client_id: client.org_client_id })
    expect(res.status).toBe(201)
    expect((await res.json<{ confirmation: unknown }>()).confirmation).toEqual({ skipped: 'opted_out' })
    expect(await messagesOf(org, '?purpose=confirmation')).toEqual([])
  })

  it('waits for quiet hours to end', async () => {
    const { org, client } = await orgWithClient({ quiet: { start: '00:00', end: '23:59' } })
    await book(org, { org_client_id: client.org_client_id })
    const [m] = await messagesOf(org, '?purpose=confirmation')
    expect(m).toMatchObject({ status: 'deferred' })
    expect(m!.send_after).toEqual(expect.any(String))
    expect(Date.parse(m!.send_after!)).toBeGreaterThan(Date.now())
  })

  it('confirms a series once, saying how it repeats', async () => {
    const { org, client } = await orgWithClient()
    const res = await book(org, {
      org_client_id: client.org_client_id,
      recurrence: { freq: 'weekly', interval: 2, count: 6 },
    })
    expect(res.status).toBe(201)
    const sent = await messagesOf(org, '?purpose=confirmation')
    expect(sent).toHaveLength(1)
    expect(sent[0]!.body).toContain('It repeats: every 2 weeks on Tuesday at 9:00 AM, 6 visits.')
  })

  it('is not sent twice for a replayed booking, nor for a stranger business booking our client', async () => {
    const { org, client } = await orgWithClient()
    const key = { 'idempotency-key': `book-${client.org_client_id}` }
    expect((await book(org, { org_client_id: client.org_client_id }, key)).status).toBe(201)
    expect((await book(org, { org_client_id: client.org_client_id }, key)).status).toBe(201)
    expect(await messagesOf(org, '?purpose=confirmation')).toHaveLength(1)

    const stranger = await createOrg()
    expect((await book(stranger, { org_client_id: client.org_client_id })).status).toBe(404)
    expect(await messagesOf(stranger, '?purpose=confirmation')).toEqual([])
    expect(await messagesOf(org, '?purpose=confirmation')).toHaveLength(1)
  })
})
