// A tech on a phone taps "On my way" on the job page, in headless Chromium at 375 px against `wrangler dev`.
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { after, before, test } from 'node:test'
import { startHarness } from './harness.mjs'
import { scrollWidth, signUpBusiness, submitLogin } from './steps.mjs'

let harness

before(async () => {
  harness = await startHarness()
  mkdirSync('test-results', { recursive: true })
})
after(async () => {
  await harness?.stop()
})

/** A business whose client Dana has a visit starting in an hour. */
async function visitSoon(name) {
  const owner = await signUpBusiness(harness, name)
  const client = await owner.api('POST', '/api/v1/clients', {
    first_name: 'Dana',
    phone: '+14155550142',
    email: 'dana@example.com',
  })
  const { job } = await owner.api('POST', '/api/v1/jobs', {
    org_client_id: client.org_client_id,
    start_at: new Date(Date.now() + 3_600_000).toISOString(),
    notify: false,
  })
  return { owner, job }
}

/** A phone-sized browser (375 px, touch) signed in as `owner`, with JavaScript unless told otherwise. */
async function phone(owner, { javaScriptEnabled = true } = {}) {
  const context = await harness.browser.newContext({
    viewport: { width: 375, height: 800 },
    hasTouch: true,
    isMobile: true,
    javaScriptEnabled,
  })
  const page = await context.newPage()
  await page.goto(`${harness.url}/login`)
  await submitLogin(page, harness, owner)
  return { context, page }
}

test('a tech on a phone taps "On my way" once and the client is texted the arrival estimate', async () => {
  const { owner, job } = await visitSoon('On My Way Cleaning')
  const { page, context } = await phone(owner)
  await page.goto(`${harness.url}/app/jobs/${job.id}`)

  const twenty = page.locator('#on-my-way button', { hasText: '20 min' })
  const box = await twenty.boundingBox()
  assert.ok(box.height >= 44 && box.width >= 120, `a thumb-sized button (${box.width}×${box.height})`)
  assert.ok((await scrollWidth(page)) <= 375, 'the job page fits a phone')
  await page.screenshot({ path: 'test-results/on-my-way-375.png', fullPage: true })

  await twenty.tap()
  await page.waitForSelector('#on-my-way .notice:has-text("Texted Dana: on the way, about 20 minutes.")')
  assert.match(await page.textContent('[data-testid=on-my-way-sent]'), /^Sent at \d{1,2}:\d{2} [AP]M\.$/)
  assert.equal(await page.locator('#on-my-way button').count(), 0, 'no second tap offered')
  await page.screenshot({ path: 'test-results/on-my-way-sent-375.png', fullPage: true })

  const { items } = await owner.api('GET', '/api/v1/messages?purpose=on_my_way')
  assert.equal(items.length, 1)
  assert.equal(items[0].to, '+14155550142')
  assert.match(items[0].body, /about 20 minutes/)

  // Back on the page later, it still says when it went.
  await page.reload()
  assert.match(await page.textContent('[data-testid=on-my-way-sent]'), /^Sent at /)
  await context.close()
})

test('without JavaScript the same tap posts the form and the page comes back saying it was sent', async () => {
  const { owner, job } = await visitSoon('No Script Cleaning')
  const { page, context } = await phone(owner, { javaScriptEnabled: false })
  await page.goto(`${harness.url}/app/jobs/${job.id}`)
  await page.locator('#on-my-way button', { hasText: '10 min' }).tap()
  await page.waitForURL(/on_my_way=sent&eta=10/)
  assert.match(await page.textContent('#on-my-way .notice'), /Texted Dana: on the way, about 10 minutes\./)
  const { items } = await owner.api('GET', '/api/v1/messages?purpose=on_my_way')
  assert.equal(items.length, 1)
  assert.match(items[0].body, /about 10 minutes/)
  await context.close()
})
