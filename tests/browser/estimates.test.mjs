// Estimates in headless Chromium against `wrangler dev`: staff write an estimate for a client and
// text it, the homeowner opens the link from the outbox on a phone and approves it by typing their
// name, and staff book the approved work as a job from the estimate's page and open the job.
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { after, before, test } from 'node:test'
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

/** The text of the newest outbox SMS to `phone` matching `pattern`, once the sends queue has delivered it. */
async function smsText(page, phone, pattern) {
  for (let i = 0; i < 60; i++) {
    await page.goto(`${harness.url}/dev/outbox`)
    const item = page
      .locator('[data-testid=outbox] li[data-channel=sms]', { hasText: phone })
      .filter({ hasText: pattern })
      .first()
    if (await item.count()) return item.locator('.sms-bubble').textContent()
    await page.waitForTimeout(250)
  }
  throw new Error(`no SMS to ${phone} matching ${pattern} in the outbox`)
}

test('staff send an estimate by text, the homeowner approves it from the link with their name, and staff book it as a job', async () => {
  const owner = await signUpBusiness(harness, 'Browser Deck Care')
  const { api } = owner
  await api('PATCH', '/api/v1/organization', {
    quiet_hours: { start: '00:00', end: '00:00' },
    phone: '(415) 555-0142',
    default_tax_rate: 10,
    brand_color: '#7c3aed',
  })
  const phone = `+1415555${String(2000 + Math.floor(Math.random() * 7999))}`
  const client = await api('POST', '/api/v1/clients', {
    first_name: 'Robin',
    last_name: 'Park',
    phone,
    address: { address1: '9 Elm St', city: 'Oakland', state: 'CA', postal: '94610' },
  })

  // Staff: from the client's page, a new estimate of two lines; the totals follow the typing.
  const { context, page } = await signIn(harness, owner)
  await page.goto(`${harness.url}/app/clients/${client.org_client_id}`)
  await page.waitForSelector('#client-estimates >> text=No estimates yet.')
  await page.click('[data-testid=new-client-estimate]')
  await page.waitForSelector('#new-estimate')
  await page.fill('input[name=line_description_0]', 'Deck staining')
  await page.fill('input[name=line_quantity_0]', '2')
  await page.fill('input[name=line_price_0]', '200')
  await page.click('#new-estimate button:has-text("Add line")')
  await page.waitForSelector('input[name=line_description_1]')
  await page.fill('input[name=line_description_1]', 'Travel fee')
  await page.fill('input[name=line_price_1]', '50')
  await page.uncheck('input[name=line_taxable_1]')
  // 400 + 50, tax 10 % of 400.
  await page.waitForSelector('[data-testid=estimate-total]:has-text("$490.00")')
  await page.fill('#f-notes', 'Two coats, weather permitting.')
  await page.click('#new-estimate .form-actions button:has-text("Create estimate")')
  await page.waitForURL(/\/app\/estimates\/[0-9a-f-]+$/)
  assert.equal(await page.textContent('[data-testid=estimate-amount]'), '$490.00')
  await page.screenshot({ path: 'test-results/estimate-page.png', fullPage: true })

  await page.click('[data-testid=send-estimate-sms]')
  await page.waitForSelector('#estimate-panel .notice:has-text("Estimate sent by text.")')
  assert.equal(await page.textContent('[data-testid=estimate-status]'), 'sent')

  // The homeowner's phone: the link from the text, at 375 px, approved with a typed name.
  const outbox = await context.newPage()
  const text = await smsText(outbox, phone, 'sent you estimate #1001 for $490.00')
  const link = text.match(/https?:\/\/\S+\/e\/[\w.-]+/)[0]
  const home = await harness.browser.newContext({
    viewport: { width: 375, height: 812 },
    isMobile: true,
    hasTouch: true,
  })
  const phonePage = await home.newPage()
  await phonePage.goto(link)
  assert.equal(await phonePage.textContent('[data-testid=estimate-brand]'), 'Browser Deck Care')
  const lines = await phonePage.textContent('[data-testid=portal-invoice-lines]')
  for (const part of ['Deck staining', '2 × $200.00', 'Travel fee', 'Tax (10%)', '$490.00'])
    assert.ok(lines.includes(part), `the homeowner's estimate shows ${part}`)
  assert.ok((await scrollWidth(phonePage)) <= 375, 'the estimate fits a 375 px screen')
  await phonePage.screenshot({ path: 'test-results/estimate-link-375.png', fullPage: true })
  // Approving needs a name.
  await phonePage.click('[data-testid=approve-estimate]')
  await phonePage.waitForSelector('#approve-name-error')
  await phonePage.fill('#approve-name', 'Robin Park')
  await phonePage.click('[data-testid=approve-estimate]')
  await phonePage.waitForSelector('[data-testid=estimate-state]:has-text("Approved by Robin Park")')
  assert.equal(await phonePage.locator('[data-testid=approve-estimate]').count(), 0)
  await phonePage.screenshot({ path: 'test-results/estimate-approved-375.png', fullPage: true })

  // Staff see who approved, and book the work; the job opens from the estimate.
  await page.bringToFront()
  await page.reload()
  assert.match(await page.textContent('[data-testid=estimate-approval]'), /Robin Park/)
  await page.fill('[data-testid=book-estimate] input[name=start]', '2031-05-01T09:00')
  await page.fill('[data-testid=book-estimate] input[name=duration]', '120')
  await page.click('[data-testid=book-estimate] button:has-text("Book as job")')
  await page.waitForSelector('#estimate-panel .notice:has-text("Booked as a job.")')
  await page.click('[data-testid=estimate-job]')
  await page.waitForURL(/\/app\/jobs\/[0-9a-f-]+$/)
  assert.equal(await page.inputValue('#job-lines input[name=line_description_0]'), 'Deck staining')
  assert.equal(await page.inputValue('#job-lines input[name=line_description_1]'), 'Travel fee')
  await page.screenshot({ path: 'test-results/estimate-booked-job.png', fullPage: true })
  await home.close()
  await context.close()

  // Staff on a phone: the list, the new-estimate form and the estimate fit 375 px.
  const small = await signIn(harness, owner, { width: 375, height: 812 })
  for (const path of ['/app/estimates', `/app/estimates/new?org_client_id=${client.org_client_id}`]) {
    await small.page.goto(`${harness.url}${path}`)
    assert.ok((await scrollWidth(small.page)) <= 375, `${path} fits a 375 px screen`)
  }
  await small.page.screenshot({ path: 'test-results/estimate-new-375.png', fullPage: true })
  await small.context.close()
})
