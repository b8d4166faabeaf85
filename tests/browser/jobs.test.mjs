// Staff edit a job, record what was done on it and undo a completion, in headless Chromium against `wrangler dev`.
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

test('staff edit a job, add its lines from a service, complete it and undo that', async () => {
  const owner = await signUpBusiness(harness, 'Line Item Cleaning')
  const deep = await owner.api('POST', '/api/v1/services', { name: 'Deep clean', price_cents: 26000 })
  const client = await owner.api('POST', '/api/v1/clients', { first_name: 'Nora', email: 'nora@example.com' })
  const { job } = await owner.api('POST', '/api/v1/jobs', {
    org_client_id: client.org_client_id,
    start_at: '2031-01-08T18:30:00Z',
    price_cents: 14000,
    notify: false,
  })
  const { page, context } = await signIn(harness, owner)
  await page.goto(`${harness.url}/app/jobs/${job.id}`)

  // The edit form swaps the panel in place.
  await page.click('#job-edit summary')
  await page.fill('#edit-price', '150')
  await page.fill('#edit-notes', 'Side door, dog is friendly')
  await page.click('button:has-text("Save changes")')
  await page.waitForSelector('#job-panel .notice:has-text("Changes saved.")')
  assert.equal(await page.textContent('[data-testid=job-price]'), '$150.00')

  // Lines: add the service, add a line by hand, save; the subtotal and the invoice link follow.
  await page.selectOption('#add-service', deep.id)
  await page.click('button:has-text("Add service")')
  await page.waitForSelector('input[name=line_description_0][value="Deep clean"]')
  await page.click('button:has-text("Add line")')
  await page.fill('input[name=line_description_1]', 'Inside the fridge')
  await page.fill('input[name=line_quantity_1]', '2')
  await page.fill('input[name=line_price_1]', '22.50')
  await page.click('#job-lines .form-actions button:has-text("Save lines")')
  await page.waitForSelector('#job-lines .notice:has-text("Lines saved.")')
  assert.equal(await page.textContent('[data-testid=lines-subtotal]'), '$305.00')
  assert.match(await page.getAttribute('[data-testid=invoice-from-lines]', 'href'), /amount=305\.00$/)
  await page.screenshot({ path: 'test-results/job-lines.png', fullPage: true })

  await page.click('text=Mark complete')
  await page.waitForSelector('[data-testid=undo-bar]')
  assert.equal(await page.textContent('[data-testid=job-status]'), 'Completed')
  await page.click('[data-testid=undo-bar] button:has-text("Undo")')
  await page.waitForSelector('#job-panel .notice:has-text("Completing was undone")')
  assert.equal(await page.textContent('[data-testid=job-status]'), 'Scheduled')

  await page.setViewportSize({ width: 375, height: 800 })
  await page.reload()
  assert.ok((await scrollWidth(page)) <= 375, 'the job page fits a phone')
  await page.screenshot({ path: 'test-results/job-375.png', fullPage: true })
  await context.close()
})

test('the booking form warns when the chosen crew already has a job then', async () => {
  const owner = await signUpBusiness(harness, 'Overlap Plumbing')
  const client = await owner.api('POST', '/api/v1/clients', { first_name: 'Theo', email: 'theo@example.com' })
  const { items } = await owner.api('GET', '/api/v1/team')
  const me = items[0]
  await owner.api('POST', '/api/v1/jobs', {
    org_client_id: client.org_client_id,
    start_at: '2031-02-04T17:00:00Z',
    end_at: '2031-02-04T19:00:00Z',
    assigned_to: [me.user_id],
    notify: false,
  })
  const { page, context } = await signIn(harness, owner)
  await page.goto(`${harness.url}/app/jobs/new?date=2031-02-04`)
  await page.fill('#f-start', '2031-02-04T10:00')
  await page.check(`input[name=assigned_to][value="${me.user_id}"]`)
  await page.waitForSelector('[data-testid=conflict-warning]')
  assert.match(await page.textContent('[data-testid=conflict-warning]'), /Theo, 9:00 AM–11:00 AM/)
  // Later that day: the warning goes away.
  await page.fill('#f-start', '2031-02-04T13:00')
  await page.locator('#f-start').dispatchEvent('change')
  await page.waitForSelector('[data-testid=conflict-warning]', { state: 'detached' })

  // Repeats: only the fields the choice needs show.
  assert.equal(await page.isVisible('#f-every_weeks'), false)
  await page.selectOption('#f-repeats', 'every_n_weeks')
  assert.equal(await page.isVisible('#f-every_weeks'), true)
  await page.selectOption('#f-ends', 'after')
  assert.equal(await page.isVisible('#f-ends_count'), true)
  assert.equal(await page.isVisible('#f-ends_on'), false)
  await page.screenshot({ path: 'test-results/new-job-repeat.png', fullPage: true })
  await context.close()
})
