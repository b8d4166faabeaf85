/**
 * Sending an estimate and the homeowner's answer through its link: the `estimate_sent` text with
 * `/e/{token}`, approval with a typed name (once, however often it is posted), decline with a
 * reason, and the links that open nothing (a stranger's, a changed character, a replaced one).
 */
import { describe, expect, it } from 'vitest'
import { api, createOrg } from './helpers/factories'
import { createJourney, enrollmentsOf } from './helpers/journeys'
import { draftEstimate, estimateOf, homeowner, linkPath, sendEstimate, sentEstimate } from './helpers/estimates'
import { messagesOf, orgWithClient } from './helpers/messaging'

const once = { steps: [{ type: 'sms', body: 'Thanks for looking at our estimate, {{first_name}}!' }] }

const timelineTypes = async (org: Parameters<typeof api>[0], orgClientId: string) =>
  (
    await (await api(org, 'GET', `/api/v1/clients/${orgClientId}/timeline`)).json<{ items: Array<{ type: string }> }>()
  ).items.map((i) => i.type)

describe('POST /api/v1/estimates/{id}/send', () => {
  it('texts the client the estimate with its link, marks it sent and shows the link to staff', async () => {
    const { org, client, phone } = await orgWithClient()
    const journeyId = await createJourney(org, { trigger_event: 'estimate_sent', ...once })
    const draft = await draftEstimate(org, { org_client_id: client.org_client_id, valid_until: '2031-06-30' })
    const { estimate, message } = await sendEstimate(org, draft.id)
    expect(message.channel).toBe('sms')
    expect(estimate).toMatchObject({ status: 'sent', sent_at: expect.any(String) })
    // The last day ends at midnight in Los Angeles (PDT).
    expect(estimate.expires_at).toBe('2031-07-01T07:00:00.000Z')
    const [sms] = await messagesOf(org, '?purpose=estimate')
    expect(sms).toMatchObject({ id: message.message_id, channel: 'sms', to: phone })
    expect(sms!.body).toContain(`Sparkle Cleaning sent you estimate #${draft.number} for $450.00`)
    expect(estimate.link).toBe(`https://homebase.test${linkPath(sms!.body)}`)
    expect((await estimateOf(org, draft.id)).link).toBe(estimate.link)
    expect(await enrollmentsOf(org, `?journey_id=${journeyId}`)).toHaveLength(1)
    expect(await timelineTypes(org, client.org_client_id)).toContain('estimate_sent')

    const page = await homeowner().get(linkPath(sms!.body)!)
    expect(page.status).toBe(200)
    expect(page.headers.get('x-robots-tag')).toBe('noindex')
    const html = await page.text()
    for (const text of [
      'Estimate #1001 from Sparkle Cleaning',
      'Deck staining',
      'Travel fee',
      '$450.00',
      'Jun 30, 2031',
    ])
      expect(html).toContain(text)
    expect(html).toContain('name="robots" content="noindex"')
  })

  it('emails the client who cannot be texted, in the editable estimate_sent wording', async () => {
    const { org, client, email } = await orgWithClient({ phone: null })
    const put = await api(org, 'PUT', '/api/v1/templates/estimate_sent/email', {
      subject: 'Your quote #{{estimate_number}}',
      body: 'Hello {{first_name}}: {{amount}} until {{valid_until}}. {{portal_link}}',
    })
    expect(put.status).toBe(200)
    const draft = await draftEstimate(org, { org_client_id: client.org_client_id, valid_until: '2031-06-30' })
    const { message } = await sendEstimate(org, draft.id)
    expect(message.channel).toBe('email')
    const [mail] = await messagesOf(org, '?purpose=estimate')
    expect(mail).toMatchObject({ to: email, subject: `Your quote #${draft.number}` })
    expect(mail!.body).toMatch(/^Hello Casey: \$450\.00 until Mon, Jun 30, 2031\. https:\/\/homebase\.test\/e\//)
  })

  it('says why nothing went when the client cannot be reached, and leaves the draft as it was', async () => {
    const { org, client } = await orgWithClient({ email: null })
    await api(org, 'POST', `/api/v1/clients/${client.org_client_id}/consents`, { sms_opt_in: false, reason: 'STOP' })
    const draft = await draftEstimate(org, { org_client_id: client.org_client_id })
    const res = await api(org, 'POST', `/api/v1/estimates/${draft.id}/send`, {})
    expect(res.status).toBe(409)
    const { error } = await res.json<{ error: { code: string; message: string } }>()
    expect(error.code).toBe('not_sent')
    expect(error.message).toContain('opted out of texts')
    expect(await estimateOf(org, draft.id)).toMatchObject({ status: 'draft', link: null })
  })

  it('makes a new link on every send: the old one opens nothing and answers nothing', async () => {
    const { org, estimate, path } = await sentEstimate()
    const again = await sendEstimate(org, estimate.id)
    const newPath = new URL(again.estimate.link!).pathname
    expect(newPath).not.toBe(path)
    const old = await homeowner().get(path)
    expect(old.status).toBe(404)
    expect((await homeowner().post(`${path}/approve`, { name: 'Casey Jones' })).status).toBe(404)
    expect((await estimateOf(org, estimate.id)).status).toBe('sent')
    expect((await homeowner().get(newPath)).status).toBe(200)
  })

  it('takes the estimate back to draft when it is changed after sending, and its link stops working', async () => {
    const { org, estimate, path } = await sentEstimate()
    const res = await api(org, 'PATCH', `/api/v1/estimates/${estimate.id}`, { notes: 'Two coats' })
    expect(res.status).toBe(200)
    expect(await estimateOf(org, estimate.id)).toMatchObject({ status: 'draft', link: null, notes: 'Two coats' })
    expect((await homeowner().get(path)).status).toBe(404)
    // A sent estimate is not deleted; a draft is.
    await sendEstimate(org, estimate.id)
    expect((await api(org, 'DELETE', `/api/v1/estimates/${estimate.id}`)).status).toBe(409)
  })
})

describe('the homeowner’s link /e/{token}', () => {
  it('approves with a typed full name, once: one event, one journey, and staff see who signed', async () => {
    const { org, client, estimate, path } = await sentEstimate()
    const journeyId = await createJourney(org, { trigger_event: 'estimate_approved', ...once })
    const person = homeowner()

    const empty = await person.post(`${path}/approve`, { name: ' ' })
    expect(empty.status).toBe(422)
    expect(await empty.text()).toContain('Type your full name to approve')
    expect((await person.post(`${path}/approve`, { name: 'C' })).status).toBe(422)
    expect((await estimateOf(org, estimate.id)).status).toBe('sent')

    const res = await person.post(`${path}/approve`, { name: '  Casey Jones ' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`${path}?done=approved`)
    const approved = await estimateOf(org, estimate.id)
    expect(approved).toMatchObject({
      status: 'approved',
      approved_name: 'Casey Jones',
      approved_at: expect.any(String),
    })

    // Posted again (a double tap, a replayed request) and then declined: nothing more happens.
    const replay = await person.post(`${path}/approve`, { name: 'Someone Else' })
    expect(replay.status).toBe(200)
    expect(await replay.text()).toContain('Approved by Casey Jones')
    expect((await person.post(`${path}/decline`, { reason: 'changed my mind' })).status).toBe(200)
    expect(await estimateOf(org, estimate.id)).toMatchObject({
      status: 'approved',
      approved_name: 'Casey Jones',
      approved_at: approved.approved_at,
      decline_reason: null,
    })
    const types = await timelineTypes(org, client.org_client_id)
    expect(types.filter((t) => t === 'estimate_approved')).toHaveLength(1)
    expect(await enrollmentsOf(org, `?journey_id=${journeyId}`)).toHaveLength(1)

    const page = await (await person.get(`${path}?done=approved`)).text()
    expect(page).toContain('Thank you! Your approval was sent.')
    expect(page).not.toContain('Approve estimate')
  })

  it('declines with the reason kept, raising estimate_declined once', async () => {
    const { org, estimate, path } = await sentEstimate()
    const journeyId = await createJourney(org, { trigger_event: 'estimate_declined', ...once })
    const res = await homeowner().post(`${path}/decline`, { reason: 'We went with a cheaper quote' })
    expect(res.status).toBe(303)
    expect(await estimateOf(org, estimate.id)).toMatchObject({
      status: 'declined',
      decline_reason: 'We went with a cheaper quote',
      declined_at: expect.any(String),
    })
    expect((await homeowner().post(`${path}/approve`, { name: 'Casey Jones' })).status).toBe(200)
    expect((await estimateOf(org, estimate.id)).status).toBe('declined')
    expect(await enrollmentsOf(org, `?journey_id=${journeyId}`)).toHaveLength(1)
    expect(await (await homeowner().get(path)).text()).toContain('We went with a cheaper quote')
  })

  it("opens nothing for a made-up token, a changed character or another business's name on it: the same 404", async () => {
    const { org, estimate, path } = await sentEstimate()
    const stranger = await createOrg()
    const [, , token] = path.split('/')
    const [orgId, secret] = token!.split('.')
    const flipped = `${secret!.slice(0, 10)}${secret![10] === 'A' ? 'B' : 'A'}${secret!.slice(11)}`
    const tries = [
      `/e/${orgId}.${flipped}`,
      `/e/${stranger.organizationId}.${secret}`,
      `/e/${crypto.randomUUID()}.${secret}`,
      '/e/not-a-token',
      `/e/${orgId}`,
    ]
    const pages = new Set<string>()
    for (const p of tries) {
      const res = await homeowner().get(p)
      expect(res.status, p).toBe(404)
      pages.add(await res.text())
      expect((await homeowner().post(`${p}/approve`, { name: 'Casey Jones' })).status, p).toBe(404)
    }
    expect(pages.size).toBe(1)
    expect((await estimateOf(org, estimate.id)).status).toBe('sent')
  })

  it('refuses an answer posted from another site (the origin check)', async () => {
    const { org, estimate, path } = await sentEstimate()
    const res = await homeowner().post(`${path}/approve`, { name: 'Casey Jones' }, { origin: 'https://evil.example' })
    expect(res.status).toBe(403)
    expect((await estimateOf(org, estimate.id)).status).toBe('sent')
  })
})
