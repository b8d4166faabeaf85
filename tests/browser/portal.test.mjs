// The homeowner portal on a phone, in headless Chromium against `wrangler dev`: from the link a
// business sends to every provider in one place.
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { after, before, test } from 'node:test'
import { startHarness } from './harness.mjs'
import { scrollWidth, signUpBusiness } from './steps.mjs'

let harness

before(async () => {
  harness = await startHarness()
  mkdirSync('test-results', { recursive: true })
})
after(async () => {
  await harness?.stop()
})

/** A new business (signed up through the API), and its API. */
async function business(name) {
  const { api } = await signUpBusiness(harness, name)
  await api('PATCH', '/api/v1/organization', { phone: '(415) 555-0142' })
  return api
}

/** The newest outbox SMS to `phone` whose text matches `pattern`, once the sends queue has delivered the queued message. */
async function fromOutbox(page, phone, pattern) {
  for (let i = 0; i < 60; i++) {
    await page.goto(`${harness.url}/dev/outbox`)
    const item = page
      .locator('[data-testid=outbox] li[data-channel=sms]', { hasText: phone })
      .filter({ hasText: pattern })
      .first()
    if (await item.count()) return item
    await page.waitForTimeout(250)
  }
  throw new Error(`no SMS to ${phone} matching ${pattern} in the outbox`)
}

test('a homeowner opens the link the business sent, confirms the visit, verifies by code, sees a second provider and sends one of them a new number', async () => {
  const cleaner = await business('Sparkle Browser Cleaning')
  const plumber = await business('Pipe Browser Plumbing')
  const phone = `+1415555${String(2000 + Math.floor(Math.random() * 7999))}`
  const address = { address1: '9 Elm St', city: 'Oakland', state: 'CA', postal: '94610' }
  const client = await cleaner('POST', '/api/v1/clients', { first_name: 'Robin', last_name: 'Park', phone, address })
  const atPlumber = await plumber('POST', '/api/v1/clients', { first_name: 'Robin', phone, address })
  assert.equal(atPlumber.person_id, client.person_id)
  await plumber('POST', '/api/v1/jobs', { org_client_id: atPlumber.org_client_id, start_at: '2031-03-04T17:00:00Z' })
  const { job } = await cleaner('POST', '/api/v1/jobs', {
    org_client_id: client.org_client_id,
    start_at: new Date(Date.now() + 2 * 86_400_000).toISOString(),
  })
  // The portal link the cleaner sends Robin now (reminders carry the same link; their timing is tested in vitest).
  const { url } = await cleaner('POST', '/api/v1/portal-links', { org_client_id: client.org_client_id })
  assert.match(url, /\/p\/[\w-]+\.[\w-]+$/)

  const context = await harness.browser.newContext({
    viewport: { width: 375, height: 812 },
    isMobile: true,
    hasTouch: true,
  })
  const page = await context.newPage()
  await page.goto(url)
  assert.equal(await page.textContent('h1'), 'Sparkle Browser Cleaning')
  assert.match(await page.textContent('[data-testid=job]'), /Booked/)
  assert.equal(await page.locator('text=Pipe Browser Plumbing').count(), 0)
  assert.ok((await scrollWidth(page)) <= 375, 'the portal fits a 375 px screen')
  await page.screenshot({ path: 'test-results/portal-link-375.png', fullPage: true })

  // The skip link is the first thing the keyboard reaches.
  await page.keyboard.press('Tab')
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content')

  await page.click('button:has-text("Confirm this visit")')
  await page.waitForURL(/\?done=confirmed$/)
  assert.match(await page.textContent('.notice'), /Your visit is confirmed/)
  assert.match(await page.textContent('[data-testid=job]'), /Confirmed/)
  const timeline = await cleaner('GET', `/api/v1/clients/${client.org_client_id}/timeline`)
  assert.ok(
    timeline.items.some((i) => i.type === 'job_confirmed' && i.data.job_id === job.id),
    'the confirmation is on the client’s timeline',
  )

  await page.click('button:has-text("Send me a code")')
  await page.waitForURL(/\/verify\?via=sms$/)
  const portalUrl = page.url().replace(/\/verify\?via=sms$/, '')
  const codePage = await context.newPage()
  const text = await (await fromOutbox(codePage, phone, 'is your HomeBase code')).locator('.sms-bubble').textContent()
  const code = text.match(/\b(\d{6})\b/)[1]
  await codePage.close()
  await page.fill('#code', code)
  await page.click('button:has-text("Check my code")')
  await page.waitForURL(/\/p\/me\?done=verified$/)
  assert.match(await page.textContent('.notice'), /You are signed in/)
  const providers = page.locator('[data-testid=provider]')
  assert.equal(await providers.count(), 2)
  const plumberSection = providers.filter({ hasText: 'Pipe Browser Plumbing' })
  assert.match(await plumberSection.locator('[data-testid=job]').textContent(), /Tue, Mar 4, 9:00 AM/)
  assert.ok((await scrollWidth(page)) <= 375, 'every provider fits a 375 px screen')
  await page.screenshot({ path: 'test-results/portal-me-375.png', fullPage: true })

  // A new number, proven by a code sent to it, goes only to the provider left ticked.
  const newPhone = `+1415555${String(2000 + Math.floor(Math.random() * 7999))}`
  await page.fill('#d-phone', newPhone)
  await page.getByRole('checkbox', { name: 'Sparkle Browser Cleaning' }).uncheck()
  await page.click('button:has-text("Save my details")')
  await page.waitForSelector('h1:has-text("Check your new number")')
  const newCodePage = await context.newPage()
  const newText = await (await fromOutbox(newCodePage, newPhone, 'to add this number'))
    .locator('.sms-bubble')
    .textContent()
  await newCodePage.close()
  await page.fill('#code_sms', newText.match(/\b(\d{6})\b/)[1])
  await page.click('button:has-text("Check and save")')
  await page.waitForURL(/\/p\/me\?done=details/)
  assert.equal(await page.textContent('.notice'), 'Saved. Your new details went to Pipe Browser Plumbing.')
  assert.equal((await plumber('GET', `/api/v1/clients/${atPlumber.org_client_id}`)).primary_phone_e164, newPhone)
  assert.equal((await cleaner('GET', `/api/v1/clients/${client.org_client_id}`)).primary_phone_e164, phone)

  // Back on the cleaner's link, the homeowner is offered every provider instead of a code.
  await page.goto(portalUrl)
  assert.equal(await page.locator('text=See every provider in one place').count(), 1)
  await context.close()
})
