import { describe, expect, it } from 'vitest'
import { Staff } from './helpers/browserless'
import { api, createClient, createOrg, type TestOrg } from './helpers/factories'
import { messagesOf, orgWithClient, textIn } from './helpers/messaging'

async function signedIn(org: TestOrg) {
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return { staff, csrf: await staff.csrfToken() }
}

const badge = async (staff: Staff) =>
  (await (await staff.get('/app/inbox/badge')).text()).replace(/<[^>]+>/g, '').trim()
const randomPhone = () => `+1415555${String(1000 + Math.floor(Math.random() * 8999))}`

describe('the inbox and its badge', () => {
  it('counts conversations with unread replies in the nav until the thread is opened', async () => {
    const { org, client, phone } = await orgWithClient()
    const { staff } = await signedIn(org)
    expect(await (await staff.get('/app')).text()).toContain('hx-get="/app/inbox/badge"')
    expect(await badge(staff)).toBe('')
    await textIn(phone!, 'Can you come earlier?')
    await textIn(phone!, 'Like 8?')
    expect(await badge(staff)).toBe('1 unread')

    const page = await (await staff.get(`/app/inbox/${client.org_client_id}`)).text()
    expect(page).toContain('Can you come earlier?')
    expect(page).toContain('Like 8?')
    expect(await badge(staff)).toBe('')
  })

  it('lists clients with unread replies first, then the latest', async () => {
    const org = await createOrg()
    const [p1, p2] = [randomPhone(), randomPhone()]
    const early = await createClient(org, { first_name: 'Early', last_name: 'Bird', phone: p1 })
    const late = await createClient(org, { first_name: 'Late', last_name: 'Comer', phone: p2 })
    await textIn(p1, 'Still need the code?')
    await textIn(p2, 'Thanks for today')
    await api(org, 'POST', `/api/v1/inbox/${late.org_client_id}/read`)
    const { staff } = await signedIn(org)
    const html = await (await staff.get('/app/inbox')).text()
    expect(html.indexOf('Early Bird')).toBeGreaterThan(0)
    expect(html.indexOf('Early Bird')).toBeLessThan(html.indexOf('Late Comer'))
    expect(html).toContain('1 unread')
    expect(html).toContain(`href="/app/inbox/${early.org_client_id}"`)
    const unreadOnly = await (await staff.get('/app/inbox?unread=true')).text()
    expect(unreadOnly).toContain('Early Bird')
    expect(unreadOnly).not.toContain('Late Comer')
  })
})

describe('the thread on the client page and replying', () => {
  it('shows what was sent and answered on the client page, and opening it marks it read', async () => {
    const { org, client, phone } = await orgWithClient()
    await api(org, 'POST', `/api/v1/clients/${client.org_client_id}/messages`, { channel: 'sms', body: 'On our way' })
    await textIn(phone!, 'Door is open')
    const { staff } = await signedIn(org)
    const html = await (await staff.get(`/app/clients/${client.org_client_id}`)).text()
    expect(html).toContain('id="conversation"')
    expect(html.indexOf('On our way')).toBeLessThan(html.indexOf('Door is open'))
    expect(html).toMatch(/data-testid="message-status">(Sending|Sent)</)
    expect(html).toContain(`action="/app/inbox/${client.org_client_id}/reply"`)
    expect(await badge(staff)).toBe('')
  })

  it('sends a reply without JavaScript and comes back to the thread it was sent from', async () => {
    const { org, client, phone } = await orgWithClient()
    await textIn(phone!, 'What time tomorrow?')
    const { staff, csrf } = await signedIn(org)
    const res = await staff.post(`/app/inbox/${client.org_client_id}/reply`, {
      _csrf: csrf,
      back: 'client',
      channel: 'sms',
      subject: '',
      body: '9 AM sharp',
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`/app/clients/${client.org_client_id}#conversation`)
    expect(await messagesOf(org, '?purpose=one_off')).toMatchObject([{ channel: 'sms', to: phone, body: '9 AM sharp' }])
  })

  it('answers htmx with the card: the reply in the thread, or why it did not go (nothing sent)', async () => {
    const { org, client } = await orgWithClient()
    const { staff, csrf } = await signedIn(org)
    const hx = { 'hx-request': 'true' }
    const path = `/app/inbox/${client.org_client_id}/reply`
    const ok = await staff.post(
      path,
      { _csrf: csrf, back: 'inbox', channel: 'email', subject: '', body: 'Quote below' },
      hx,
    )
    expect(ok.status).toBe(200)
    const card = await ok.text()
    expect(card).toMatch(/^<section class="card convo" id="conversation"/)
    expect(card).toContain('Message from Sparkle Cleaning')
    expect(card).toContain('Sent.')

    await api(org, 'POST', `/api/v1/clients/${client.org_client_id}/consents`, { sms_opt_in: false, reason: 'STOP' })
    const refused = await staff.post(path, { _csrf: csrf, channel: 'sms', body: 'Are you there?' }, hx)
    expect(refused.status).toBe(409)
    const why = await refused.text()
    expect(why).toContain('Not sent: the client has opted out of texts.')
    expect(why).toContain('Are you there?')

    const empty = await staff.post(path, { _csrf: csrf, channel: 'sms', body: ' ' }, hx)
    expect(empty.status).toBe(422)
    expect(await empty.text()).toContain('Write the message.')
    expect((await messagesOf(org, '?purpose=one_off')).map((m) => m.channel)).toEqual(['email'])
  })

  it("is not found for another business's client, and sends nothing", async () => {
    const { org, client, phone } = await orgWithClient()
    await textIn(phone!, 'Private words')
    const stranger = await createOrg()
    const { staff, csrf } = await signedIn(stranger)
    expect((await staff.get(`/app/inbox/${client.org_client_id}`)).status).toBe(404)
    const res = await staff.post(`/app/inbox/${client.org_client_id}/reply`, {
      _csrf: csrf,
      channel: 'sms',
      body: 'Hello from a stranger',
    })
    expect(res.status).toBe(404)
    expect(await (await staff.get('/app/inbox')).text()).not.toContain('Private words')
    expect(await messagesOf(org)).toEqual([])
    expect(await messagesOf(stranger)).toEqual([])
  })
})
