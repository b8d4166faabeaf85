// Staff answer a client's text from the inbox, in headless Chromium against `wrangler dev`.
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

test("staff answer a client's text from the inbox", async () => {
  const owner = await signUpBusiness(harness, 'Inbox Window Washing')
  const phone = `+1415555${String(1000 + Math.floor(Math.random() * 8999))}`
  const client = await owner.api('POST', '/api/v1/clients', { first_name: 'Rosa', last_name: 'Diaz', phone })
  await textIn(phone, 'Can you do the back windows too?')

  const { page, context } = await signIn(harness, owner)
  // The nav counts the conversation with an unread reply.
  await page.waitForSelector('.nav-wide [data-testid=inbox-badge]')
  assert.equal((await page.textContent('.nav-wide [data-testid=inbox-badge]')).trim(), '1 unread')

  await page.click('.nav-wide a[href="/app/inbox"]')
  await page.waitForURL(`${harness.url}/app/inbox`)
  const row = page.locator(`[data-client="${client.org_client_id}"]`)
  assert.equal((await row.locator('[data-testid=unread-count]').textContent()).trim(), '1 unread')
  assert.match(await row.textContent(), /Can you do the back windows too\?/)
  await row.locator('a').first().click()
  await page.waitForURL(`${harness.url}/app/inbox/${client.org_client_id}`)
  await page.waitForSelector('.convo-in:has-text("Can you do the back windows too?")')

  // Text is picked (they wrote by text); the subject shows only for an email.
  assert.equal(await page.isChecked('#reply-channel-sms'), true)
  assert.equal(await page.isVisible('#reply-subject'), false)
  await page.click('label[for=reply-channel-email]')
  assert.equal(await page.isVisible('#reply-subject'), true)
  await page.click('label[for=reply-channel-sms]')

  await page.fill('#reply-body', 'Yes, we will do them on Tuesday.')
  await page.click('#conversation button:has-text("Send")')
  await page.waitForSelector('#conversation .notice:has-text("Sent.")')
  await page.waitForSelector('.convo-out:has-text("Yes, we will do them on Tuesday.")')
  assert.equal(await page.inputValue('#reply-body'), '')

  const { items } = await owner.api('GET', '/api/v1/messages?purpose=one_off')
  assert.equal(items.length, 1)
  assert.equal(items[0].to, phone)
  assert.equal(items[0].body, 'Yes, we will do them on Tuesday.')

  // Opened, so read: the badge is gone.
  await page.reload()
  await page.waitForLoadState('networkidle')
  assert.equal(await page.locator('.nav-wide [data-testid=inbox-badge]').count(), 0)
  await page.screenshot({ path: 'test-results/inbox-thread.png', fullPage: true })
  // The client page shows the same thread.
  await page.click('a:has-text("Client page")')
  await page.waitForSelector('#conversation .convo-out:has-text("Yes, we will do them on Tuesday.")')
  await page.screenshot({ path: 'test-results/client-conversation.png', fullPage: true })
  await page.goBack()

  await page.setViewportSize({ width: 375, height: 800 })
  await page.reload()
  assert.ok((await scrollWidth(page)) <= 375, 'the thread fits a phone')
  await page.screenshot({ path: 'test-results/inbox-thread-375.png', fullPage: true })
  await page.goto(`${harness.url}/app/inbox`)
  assert.ok((await scrollWidth(page)) <= 375, 'the inbox fits a phone')
  await page.screenshot({ path: 'test-results/inbox-375.png', fullPage: true })
  await context.close()
})
