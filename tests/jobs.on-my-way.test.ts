/** POST /api/v1/jobs/{id}/on-my-way: a text now, in quiet hours too, never to someone who opted out, once a visit. */
import { describe, expect, it } from 'vitest'
import { api, createOrg } from './helpers/factories'
import { bookJob, messagesOf, orgWithClient } from './helpers/messaging'

const onMyWay = (org: Parameters<typeof api>[0], jobId: string, body: unknown = {}) =>
  api(org, 'POST', `/api/v1/jobs/${jobId}/on-my-way`, body)

describe('POST /api/v1/jobs/{id}/on-my-way', () => {
  it('texts the client the arrival in minutes, even inside quiet hours, and only once a visit', async () => {
    // Quiet all day: an automated message would wait; this one is asked for now.
    const { org, client, phone } = await orgWithClient({ quiet: { start: '00:00', end: '23:59' } })
    const job = await bookJob(org, client.org_client_id, '2031-03-04T17:00:00Z')
    const res = await onMyWay(org, job.id, { eta_minutes: 15 })
    expect(res.status).toBe(201)
    const { message_id } = await res.json<{ message_id: string }>()
    const sent = await messagesOf(org, '?purpose=on_my_way')
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({
      id: message_id,
      channel: 'sms',
      to: phone,
      status: expect.stringMatching(/queued|sent/),
    })
    expect(sent[0]!.body).toContain('about 15 minutes')

    const again = await onMyWay(org, job.id, { eta_minutes: 5 })
    expect(again.status).toBe(409)
    expect(await again.json()).toMatchObject({ error: { code: 'already_sent' } })
    expect(await messagesOf(org, '?purpose=on_my_way')).toHaveLength(1)
  })

  it('never texts a client who opted out, and says why', async () => {
    const { org, client } = await orgWithClient()
    const job = await bookJob(org, client.org_client_id, '2031-03-04T17:00:00Z')
    await api(org, 'POST', `/api/v1/clients/${client.org_client_id}/consents`, {
      sms_opt_in: false,
      reason: 'asked by phone',
    })
    const res = await onMyWay(org, job.id)
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({
      error: { code: 'not_sent', message: 'The client has opted out of texts.' },
    })
    expect(await messagesOf(org, '?purpose=on_my_way')).toEqual([])
  })

  it('refuses a finished visit and an impossible estimate', async () => {
    const { org, client } = await orgWithClient()
    const job = await bookJob(org, client.org_client_id, '2031-03-04T17:00:00Z')
    expect((await onMyWay(org, job.id, { eta_minutes: 0 })).status).toBe(400)
    await api(org, 'PATCH', `/api/v1/jobs/${job.id}`, { status: 'completed' })
    expect((await onMyWay(org, job.id)).status).toBe(409)
    expect(await messagesOf(org, '?purpose=on_my_way')).toEqual([])
  })

  it("is not found for another business's job, and texts nobody", async () => {
    const { org, client } = await orgWithClient()
    const stranger = await createOrg()
    const job = await bookJob(org, client.org_client_id, '2031-03-04T17:00:00Z')
    expect((await onMyWay(stranger, job.id)).status).toBe(404)
    expect(await messagesOf(org, '?purpose=on_my_way')).toEqual([])
    expect(await messagesOf(stranger)).toEqual([])
  })
})
