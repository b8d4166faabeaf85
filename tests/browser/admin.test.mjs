// An operator finds an at-risk business in the console and answers its ticket; the owner reads the answer on a phone.
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { after, before, test } from 'node:test'
import { startHarness } from './harness.mjs'
import { PASSWORD, scrollWidth, signIn, signUpBusiness } from './steps.mjs'

const OPERATOR = 'ops@homebase.test'

let harness

before(async () => {
  harness = await startHarness({ vars: { PLATFORM_ADMINS: OPERATOR } })
  mkdirSync('test-results', { recursive: true })
})
after(async () => {
  await harness?.stop()
})

test('an operator finds an at-risk business and answers its ticket; the owner reads the answer at 375 px', async () => {
  // The owner signs in on a phone and asks for help: signed in lately, no work yet, so at risk.
  const owner = await signUpBusiness(harness, 'Lakeside Lawn Care')
  const phone = await signIn(harness, owner, { width: 375, height: 800 })
  await phone.page.goto(`${harness.url}/app/support`)
  assert.ok((await scrollWidth(phone.page)) <= 375)
  await phone.page.fill('#f-subject', 'Reminders not going out')
  await phone.page.fill('#f-body', 'None of our reminders are going out since Monday. Customers are missing visits.')
  await phone.page.selectOption('#f-priority', 'normal')
  await phone.page.click('[data-testid=new-ticket] button[type=submit]')
  await phone.page.waitForURL(/\/app\/support\/[0-9a-f-]+$/)
  const ticketPath = new URL(phone.page.url()).pathname
  const ticketId = ticketPath.split('/').pop()
  assert.ok((await scrollWidth(phone.page)) <= 375)

  // The operator signs in and recomputes the figures, then filters the businesses to the at-risk ones.
  const signup = await fetch(`${harness.url}/api/v1/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: OPERATOR, password: PASSWORD, organization_name: 'HomeBase Operations' }),
  })
  assert.equal(signup.status, 201)
  const desk = await signIn(harness, { email: OPERATOR, password: PASSWORD })
  const page = desk.page
  await page.goto(`${harness.url}/admin`)
  await page.click('button:has-text("Recompute now")')
  await page.waitForSelector('[data-testid=run-progress]:has-text("Recomputed")', { timeout: 30_000 })
  await page.goto(`${harness.url}/admin`)
  await page.selectOption('#business-engagement', 'at_risk')
  await page.fill('#business-q', 'Lakeside')
  const row = page.locator('#businesses tr[data-organization-id]', { hasText: 'Lakeside Lawn Care' })
  await row.waitFor()
  assert.match(await row.textContent(), /At risk/i)
  await row.locator('a', { hasText: 'Lakeside Lawn Care' }).click()
  await page.waitForURL(/\/admin\/organizations\//)

  // Its page lists the ticket; the ticket shows the assistant's reading.
  await page.click(`a[href="/admin/tickets/${ticketId}"]`)
  await page.waitForURL(`${harness.url}/admin/tickets/${ticketId}`)
  assert.match(await page.textContent('[data-testid=ai-summary]'), /None of our reminders are going out since Monday\./)
  assert.equal(await page.getAttribute('[data-testid=suggested-priority] [data-priority]', 'data-priority'), 'high')

  await page.fill(
    '#reply-body',
    'Thanks for telling us. Your texts are flowing again; the missed reminders went out now.',
  )
  await page.click('[data-testid=send-reply]')
  await page.waitForSelector('#desk-ticket .notice:has-text("Sent to the business")')
  await page.fill('#reply-body', 'Their Twilio number was paused; watch for a week.')
  await page.click('[data-testid=add-note]')
  await page.waitForSelector('#desk-ticket .notice:has-text("Note saved")')
  assert.equal(await page.locator('.thread-internal').count(), 1)
  await page.screenshot({ path: 'test-results/admin-ticket-1280.png', fullPage: true })
  await page.click('nav.nav-wide a:has-text("Tickets")')
  await page.selectOption('#f-status', 'pending')
  await page.click('[data-testid=desk-filters] button')
  await page.waitForURL(/status=pending/)
  assert.equal(await page.locator(`[data-ticket="${ticketId}"]`).count(), 1)
  await page.screenshot({ path: 'test-results/admin-tickets-1280.png', fullPage: true })
  await desk.context.close()

  // The owner sees the answer (and not the note) on the phone, and it came by email too.
  await phone.page.goto(`${harness.url}${ticketPath}`)
  const thread = await phone.page.textContent('[data-testid=thread]')
  assert.match(thread, /Your texts are flowing again/)
  assert.doesNotMatch(thread, /Twilio number was paused/)
  assert.equal(await phone.page.getAttribute('[data-testid=ticket-status]', 'data-status'), 'pending')
  assert.ok((await scrollWidth(phone.page)) <= 375)
  await phone.page.screenshot({ path: 'test-results/support-ticket-375.png', fullPage: true })
  const outbox = await (await fetch(`${harness.url}/dev/outbox`)).text()
  assert.match(outbox, /Re: Reminders not going out \[HomeBase support\]/)
  await phone.context.close()
})
