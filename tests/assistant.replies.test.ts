/**
 * Replies and the assistant: the tone of every text or email a client sends is read as it is
 * filed and kept (shown in the API's thread and on the pages); "Suggest a reply" fills the reply
 * box with a draft that is kept and never sent; another business's client is simply not found.
 */
import { env } from 'cloudflare:test'
import { afterEach, describe, expect, it } from 'vitest'
import { MODEL } from '../durable-objects/org/sales/assistant/model'
import { orgStub } from '../src/organizations'
import { dropAi, interactionsOf, stubAi, textIn, withAna } from './helpers/assistant'
import { Staff } from './helpers/browserless'
import { api, createOrg, type TestOrg, unique } from './helpers/factories'
import { messagesOf } from './helpers/messaging'

afterEach(dropAi)

const HX = { 'hx-request': 'true' }

type Item = { id: string; direction: 'in' | 'out'; body: string; sentiment?: string }

const thread = async (org: TestOrg, id: string) =>
  (await (await api(org, 'GET', `/api/v1/clients/${id}/conversation`)).json<{ items: Item[] }>()).items

async function signedIn(org: TestOrg) {
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return { staff, csrf: await staff.csrfToken() }
}

/** The reply box's words in a conversation card. */
const replyBox = (html: string) => html.match(/<textarea id="reply-body"[^>]*>([^<]*)<\/textarea>/)?.[1] ?? null
const fromHtml = (s: string) =>
  s
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')

describe('the tone of a reply', () => {
  it('is read from an inbound text as it is filed, kept, and shown in the thread', async () => {
    const { org, id, phone } = await withAna()
    await textIn(phone, 'Not happy with the cleaning, the kitchen was still dirty')
    await textIn(phone, 'Thank you so much, the house looks amazing')
    await textIn(phone, 'Can we move Tuesday to Thursday?')
    const items = (await thread(org, id)).filter((i) => i.direction === 'in')
    expect(items.map((i) => [i.body.slice(0, 12), i.sentiment])).toEqual([
      ['Not happy wi', 'negative'],
      ['Thank you so', 'positive'],
      ['Can we move ', 'neutral'],
    ])
    const stored = await interactionsOf(org, '?kind=sentiment')
    expect(stored).toHaveLength(3)
    const negative = stored.find((s) => s.subject_id === items[0]!.id)
    expect(negative).toMatchObject({ subject_type: 'message', model: 'homebase-builtin' })
    expect(negative!.prompt).toContain('Not happy with the cleaning, the kitchen was still dirty')
    expect(JSON.parse(negative!.response)).toMatchObject({ sentiment: 'negative', score: -5 })
  })

  it('is not read for a STOP, which is about the number rather than a reply', async () => {
    const { org, phone } = await withAna()
    await textIn(phone, 'STOP')
    expect(await interactionsOf(org, '?kind=sentiment')).toEqual([])
  })

  it('is read from an email reply once, however often the same delivery comes again', async () => {
    const { org, id, email } = await withAna()
    const mail = {
      from: email,
      subject: 'Re: your visit',
      body: 'Thanks, the team was great!',
      key: `<${unique()}@mail>`,
    }
    await orgStub(env, org.organizationId).recordInboundEmail(mail)
    await orgStub(env, org.organizationId).recordInboundEmail(mail)
    const [reply] = (await thread(org, id)).filter((i) => i.direction === 'in')
    expect(reply).toMatchObject({ body: 'Thanks, the team was great!', sentiment: 'positive' })
    const stored = await interactionsOf(org, '?kind=sentiment')
    expect(stored).toHaveLength(1)
    expect(stored[0]).toMatchObject({ subject_id: reply!.id })
    expect(stored[0]!.prompt).toContain('Re: your visit\nThanks, the team was great!')
  })

  it('shows as a badge beside the reply in the inbox and its thread', async () => {
    const { org, id, phone } = await withAna()
    await textIn(phone, 'The crew was late again and left a mess. Very disappointed.')
    const { staff } = await signedIn(org)
    const list = await (await staff.get('/app/inbox')).text()
    expect(list).toContain('data-sentiment="negative"')
    const page = await (await staff.get(`/app/inbox/${id}`)).text()
    expect(page.match(/data-sentiment="(\w+)"/g)).toEqual(['data-sentiment="negative"'])
  })
})

describe('Suggest a reply', () => {
  it('fills the reply box with an apology and a call offer for a complaint, keeps it, and sends nothing', async () => {
    const { org, id, phone } = await withAna()
    await textIn(phone, 'Nobody showed up today. Really disappointed and upset.')
    const { staff, csrf } = await signedIn(org)
    const page = await (await staff.get(`/app/inbox/${id}`)).text()
    expect(page).toContain(`hx-post="/app/inbox/${id}/draft"`)
    expect(page).toContain(`formaction="/app/inbox/${id}/draft"`)

    const res = await staff.post(`/app/inbox/${id}/draft`, { _csrf: csrf, channel: 'sms', body: '', back: 'inbox' }, HX)
    expect(res.status).toBe(200)
    const html = await res.text()
    const draft = fromHtml(replyBox(html) ?? '')
    expect(draft).toBe(
      "Hi Ana, I'm sorry to hear that — that is not the experience we want you to have. Could we call you today to make it right? — Sparkle Cleaning",
    )
    expect(html).toContain('Nothing went yet.')
    const [stored] = await interactionsOf(org, '?kind=reply_draft')
    expect(stored).toMatchObject({ subject_type: 'client', subject_id: id, model: 'homebase-builtin', response: draft })
    expect(stored!.prompt).toContain("Client's first name: Ana")
    expect(stored!.prompt).toContain('It seems to be: complaint, and reads negative')
    expect(await messagesOf(org, '?purpose=one_off')).toEqual([])
  })

  it('answers what the reply asks: another time, a price, thanks', async () => {
    const cases = [
      ['Can we reschedule to next week?', 'no problem at all. What day and time would suit you better?'],
      ['How much would a deep clean cost?', "We'd be glad to give you a price."],
      ['Thanks, everything looks great', "thank you for the kind words — we're glad you're happy!"],
    ] as const
    for (const [asked, answer] of cases) {
      const { org, id, phone } = await withAna()
      await textIn(phone, asked)
      const { staff, csrf } = await signedIn(org)
      const html = await (
        await staff.post(`/app/inbox/${id}/draft`, { _csrf: csrf, channel: 'sms', back: 'client' }, HX)
      ).text()
      expect(fromHtml(replyBox(html) ?? '')).toContain(answer)
      // The card still comes back to the client page without JavaScript.
      expect(html).toContain('name="back" value="client"')
    }
  })

  it('works without JavaScript: the thread page comes back with the draft in the box', async () => {
    const { org, id, phone } = await withAna()
    await textIn(phone, 'Are you coming tomorrow?')
    const { staff, csrf } = await signedIn(org)
    const res = await staff.post(`/app/inbox/${id}/draft`, { _csrf: csrf, channel: 'sms', back: 'inbox' })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('<h1>Ana Ruiz</h1>')
    expect(fromHtml(replyBox(html) ?? '')).toBe(
      "Hi Ana, thanks for your message. We'll get back to you shortly. — Sparkle Cleaning",
    )
  })

  it("uses the model's words with the AI binding, and the template when it answers nothing usable", async () => {
    const { org, id, phone } = await withAna()
    await textIn(phone, 'Can we do Friday?')
    const { staff, csrf } = await signedIn(org)
    const calls = stubAi(() => ({ response: '"Hi Ana, Friday works — we will confirm the time. — Sparkle Cleaning"' }))
    const html = await (await staff.post(`/app/inbox/${id}/draft`, { _csrf: csrf, channel: 'sms' }, HX)).text()
    expect(fromHtml(replyBox(html) ?? '')).toBe('Hi Ana, Friday works — we will confirm the time. — Sparkle Cleaning')
    expect(calls[0]!.inputs.messages[1]!.content).toContain('Their latest message')
    const [stored] = await interactionsOf(org, '?kind=reply_draft')
    expect(stored).toMatchObject({ model: MODEL })

    stubAi(() => ({ response: '' }))
    const fallback = await (await staff.post(`/app/inbox/${id}/draft`, { _csrf: csrf, channel: 'sms' }, HX)).text()
    expect(fromHtml(replyBox(fallback) ?? '')).toBe(
      "Hi Ana, thanks for your message. We'll get back to you shortly. — Sparkle Cleaning",
    )
  })

  it("is a 404 for another business's client, with nothing stored", async () => {
    const { org, id } = await withAna()
    const stranger = await createOrg()
    const { staff, csrf } = await signedIn(stranger)
    const res = await staff.post(`/app/inbox/${id}/draft`, { _csrf: csrf, channel: 'sms' }, HX)
    expect(res.status).toBe(404)
    expect(await interactionsOf(stranger)).toEqual([])
    expect(await interactionsOf(org, '?kind=reply_draft')).toEqual([])
  })
})
