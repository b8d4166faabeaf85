// Staff ask the assistant on a phone: a client's brief swapped in place, a suggested reply in the box, the log.
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { after, before, test } from 'node:test'
import { localDefaults } from '../../scripts/lib/dev-server.mjs'
import { startHarness } from './harness.mjs'
import { scrollWidth, signIn, signUpBusiness } from './steps.mjs'

let harness

before(async () => {
  harness = await startHarness()
  mkdirSync('test-results', { recursive: true })
})
after(async () => {
  await harness?.stop()
})

/** A text from `from` to the platform number, signed as Twilio signs its webhook. */
async function textIn(from, body) {
  const { TWILIO_AUTH_TOKEN: token, TWILIO_FROM_NUMBER: to } = localDefaults()
  const url = `${harness.url}/webhooks/twilio/sms`
  const params = { From: from, To: to, Body: body, MessageSid: `SM${crypto.randomUUID().replace(/-/g, '')}` }
  const signed = Object.keys(params)
    .sort()
    .reduce((s, k) => s + k + params[k], url)
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': createHmac('sha1', token).update(signed).digest('base64'),
    },
    body: new URLSearchParams(params).toString(),
  })
  assert.equal(res.status, 200)
}

test('staff read a brief and answer an unhappy client with a suggested reply, at 375 px', async () => {
  const owner = await signUpBusiness(harness, 'Brief Pool Care')
  const phone = `+1415555${String(1000 + Math.floor(Math.random() * 8999))}`
  const client = await owner.api('POST', '/api/v1/clients', { first_name: 'Nora', last_name: 'Quinn', phone })
  await textIn(phone, 'The pool is still green and nobody came back. Very disappointed.')

  const { page, context } = await signIn(harness, owner, { width: 375, height: 800 })
  await page.goto(`${harness.url}/app/clients/${client.org_client_id}`)
  await page.waitForSelector('#brief button:has-text("Brief me")')
  await page.click('#brief button:has-text("Brief me")')
  await page.waitForSelector('#brief [data-testid=brief-next-action]')
  assert.equal((await page.textContent('[data-testid=brief-priority]')).trim(), 'High priority')
  assert.match(await page.textContent('[data-testid=brief-next-action]'), /Reply to Nora's text from today/)
  // Swapped in place: still the client page.
  assert.equal(page.url(), `${harness.url}/app/clients/${client.org_client_id}`)
  assert.ok((await scrollWidth(page)) <= 375)
  await page.screenshot({ path: 'test-results/assistant-brief-375.png', fullPage: true })

  await page.goto(`${harness.url}/app/inbox/${client.org_client_id}`)
  assert.equal(await page.getAttribute('.convo-in [data-testid=sentiment]', 'data-sentiment'), 'negative')
  await page.click('[data-testid=suggest-reply]')
  await page.waitForSelector('#conversation .notice:has-text("Nothing went yet")')
  const draft = await page.inputValue('#reply-body')
  assert.match(draft, /^Hi Nora, I'm sorry to hear that/)
  assert.match(draft, /Brief Pool Care$/)
  assert.ok((await scrollWidth(page)) <= 375)
  await page.screenshot({ path: 'test-results/assistant-draft-375.png', fullPage: true })
  const { items: sent } = await owner.api('GET', '/api/v1/messages?purpose=one_off')
  assert.equal(sent.length, 0)

  await page.fill('#reply-body', `${draft} We can come tomorrow morning.`)
  await page.click('#conversation button:has-text("Send")')
  await page.waitForSelector('#conversation .notice:has-text("Sent.")')

  await page.goto(`${harness.url}/app/assistant`)
  const kinds = await page.$$eval('[data-kind]', (rows) => rows.map((r) => r.getAttribute('data-kind')))
  assert.deepEqual(kinds, ['reply_draft', 'brief', 'sentiment'])
  await page.click('[data-kind=brief] summary')
  assert.match(await page.textContent('[data-kind=brief] [data-testid=interaction-prompt]'), /Client: Nora Quinn/)
  assert.ok((await scrollWidth(page)) <= 375)
  await context.close()
})
