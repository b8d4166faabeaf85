import { describe, expect, it, vi } from 'vitest'
import { Staff } from './helpers/browserless'
import { api } from './helpers/factories'
import { bookJob, decideAt, deliver, messagesOf, orgWithClient, runDueAt } from './helpers/messaging'

async function signedIn() {
  const setup = await orgWithClient()
  const staff = new Staff()
  await staff.post('/login', { email: setup.org.email, password: setup.org.password })
  return { ...setup, staff, csrf: await staff.csrfToken() }
}

describe('messaging pages', () => {
  it('list every message with why it was sent, skipped or deferred', async () => {
    const { org, client, staff } = await signedIn()
    await api(org, 'POST', `/api/v1/clients/${client.org_client_id}/consents`, {
      sms_opt_in: false,
      reason: 'Asked us by email',
    })
    await bookJob(org, client.org_client_id, '2030-06-10T19:00:00Z')
    await runDueAt(org, new Date('2030-06-09T19:00:30Z'))
    const html = await (await staff.get('/app/messages')).text()
    expect(html).toContain('why: opted_out')
    expect(html).toMatch(/badge-msg-queued">queued<\/span> <strong>EMAIL<\/strong>/)
    const smsOnly = await (await staff.get('/app/messages?channel=sms')).text()
    expect(smsOnly).not.toContain('<strong>EMAIL</strong>')
  })

  it('retry a failed message from the failed list', async () => {
    const { org, client, staff, csrf } = await signedIn()
    await bookJob(org, client.org_client_id, '2030-06-10T19:00:00Z')
    await decideAt(org, new Date('2030-06-09T19:00:30Z'))
    const [message] = await messagesOf(org)
    const spy = vi
      .spyOn(globalThis, 'fetch')
      .mockResolvedValueOnce(new Response('{"code":21211,"message":"Invalid To"}', { status: 400 }))
    await deliver(org, [message!.id], 1, { SMS_PROVIDER: 'twilio' })
    spy.mockRestore()
    expect(await (await staff.get('/app/messages?status=failed')).text()).toContain('Retry')
    const res = await staff.post(`/app/messages/${message!.id}/retry`, { _csrf: csrf }, { 'hx-request': 'true' })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('badge-msg-queued')
    await vi.waitFor(async () => expect((await messagesOf(org))[0]!.status).toBe('sent'), {
      timeout: 8000,
      interval: 200,
    })
  })

  it('save quiet hours and templates, and preview a template with a real client', async () => {
    const { org, staff, csrf } = await signedIn()
    expect(
      (await staff.post('/app/settings/messaging', { quiet_start: '20:00', quiet_end: '09:30', _csrf: csrf })).status,
    ).toBe(303)
    expect(
      (await (await api(org, 'GET', '/api/v1/organization')).json<{ quiet_hours: unknown }>()).quiet_hours,
    ).toEqual({ start: '20:00', end: '09:30' })
    expect(
      (await staff.post('/app/settings/messaging', { quiet_start: '8pm', quiet_end: '09:30', _csrf: csrf })).status,
    ).toBe(422)

    const preview = await (
      await staff.post(
        '/app/settings/messaging/preview',
        { channel: 'sms', body: 'Hey {{first_name}} from {{business_name}}!', _csrf: csrf },
        { 'hx-request': 'true' },
      )
    ).text()
    expect(preview).toContain('Hey Casey from Sparkle Cleaning!')

    await staff.post('/app/settings/messaging/templates/job_upcoming/sms', {
      body: 'See you {{job_time}}, {{first_name}}!',
      _csrf: csrf,
    })
    const templates = await (await api(org, 'GET', '/api/v1/templates')).json<{
      items: Array<{ key: string; channel: string; body: string; customized: boolean }>
    }>()
    expect(templates.items.find((t) => t.key === 'job_upcoming' && t.channel === 'sms')).toMatchObject({
      body: 'See you {{job_time}}, {{first_name}}!',
      customized: true,
    })
  })

  it('send a reminder with the organization’s own template', async () => {
    const { org, client } = await orgWithClient()
    await api(org, 'PUT', '/api/v1/templates/job_upcoming/sms', {
      body: 'Yo {{first_name}}, {{business_name}} comes {{job_time}}.',
    })
    await bookJob(org, client.org_client_id, '2030-06-10T19:00:00Z')
    await runDueAt(org, new Date('2030-06-09T19:00:30Z'))
    const [message] = await messagesOf(org)
    expect(message!.body).toBe('Yo Casey, Sparkle Cleaning comes on Mon, Jun 10 at 12:00 PM.')
    await deliver(org, [message!.id])
  })
})

describe('consent on the client page', () => {
  it('is changed with the reason recorded, and stops reminders by text', async () => {
    const { org, client, staff, csrf } = await signedIn()
    const page = await (await staff.get(`/app/clients/${client.org_client_id}`)).text()
    expect(page).toMatch(/Texts <strong>on<\/strong>/)
    const missing = await staff.post(
      `/app/clients/${client.org_client_id}/consents`,
      { email_opt_in: 'on', reason: '', _csrf: csrf },
      { 'hx-request': 'true' },
    )
    expect(missing.status).toBe(422)
    expect(await missing.text()).toContain('Say why')
    const saved = await staff.post(
      `/app/clients/${client.org_client_id}/consents`,
      { email_opt_in: 'on', marketing_email_opt_in: 'on', reason: 'Asked on the phone', _csrf: csrf },
      { 'hx-request': 'true' },
    )
    expect(await saved.text()).toMatch(/Texts <strong>off<\/strong>/)
    const detail = await (await api(org, 'GET', `/api/v1/clients/${client.org_client_id}`)).json<{
      consents: { sms_opt_in: boolean; email_opt_in: boolean }
    }>()
    expect(detail.consents).toEqual({ sms_opt_in: false, email_opt_in: true, marketing_email_opt_in: true })
    const timeline = await (await api(org, 'GET', `/api/v1/clients/${client.org_client_id}/timeline`)).json<{
      items: Array<{ type: string; data: { reason?: string } }>
    }>()
    expect(timeline.items.find((i) => i.type === 'consent_changed')?.data.reason).toBe('Asked on the phone')
    await bookJob(org, client.org_client_id, '2030-06-10T19:00:00Z')
    await runDueAt(org, new Date('2030-06-09T19:00:30Z'))
    expect((await messagesOf(org)).find((m) => m.channel === 'sms')).toMatchObject({
      status: 'skipped',
      reason: 'opted_out',
    })
  })
})
