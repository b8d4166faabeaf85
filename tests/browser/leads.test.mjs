// The pipeline board as staff use it, in headless Chromium against `wrangler dev`: dragging a card, the keyboard, no JavaScript, a phone.
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { after, before, test } from 'node:test'
import { startHarness } from './harness.mjs'
import { scrollWidth, signUpOnPage, submitLogin } from './steps.mjs'

let harness

before(async () => {
  harness = await startHarness()
  mkdirSync('test-results', { recursive: true })
})
after(async () => {
  await harness?.stop()
})

/** Adds a lead on the New lead page; returns its id from the lead page it opens. */
async function newLead(page, { first, last, value }) {
  await page.goto(`${harness.url}/app/leads/new`)
  await page.fill('#f-first_name', first)
  await page.fill('#f-last_name', last)
  await page.fill('#f-estimated_value', value)
  await page.click('button:has-text("Add lead")')
  await page.waitForURL(/\/app\/leads\/[0-9a-f-]+$/)
  return page.url().split('/').pop()
}

/** A column's count and value as its head shows them. */
async function head(page, status) {
  const count = await page.textContent(`#head-${status} [data-testid=col-count]`)
  const value = await page.textContent(`#head-${status} [data-testid=col-value]`)
  return { count: Number(count), value }
}

test('staff drag a lead from New to Contacted, and it stays there after a reload with the counts updated', async () => {
  const context = await harness.browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  const email = `owner-${Date.now()}@example.com`
  await signUpOnPage(page, harness, { organization: 'Pipeline Cleaning', name: 'Pat Owner', email })
  const ana = await newLead(page, { first: 'Ana', last: 'Ruiz', value: '1000' })
  const ben = await newLead(page, { first: 'Ben', last: 'Cole', value: '2500' })
  const cy = await newLead(page, { first: 'Cy', last: 'Moss', value: '400' })

  await page.goto(`${harness.url}/app/leads`)
  assert.deepEqual(await head(page, 'ls_new'), { count: 3, value: '$3,900' })
  const card = page.locator(`#cards-ls_new #lead-${ana}`)
  await card.dragTo(page.locator('#col-ls_contacted'), { sourcePosition: { x: 20, y: 10 } })
  await page.locator(`#cards-ls_contacted #lead-${ana}`).waitFor()
  assert.equal(await page.locator(`#cards-ls_new #lead-${ana}`).count(), 0)
  assert.deepEqual(await head(page, 'ls_new'), { count: 2, value: '$2,900' })
  assert.deepEqual(await head(page, 'ls_contacted'), { count: 1, value: '$1,000' })
  assert.match(await page.textContent('#board-status'), /Moved Ana Ruiz to Contacted\./)
  await page.screenshot({ path: 'test-results/leads-dragged.png', fullPage: true })

  await page.reload()
  await page.locator(`#cards-ls_contacted #lead-${ana}`).waitFor()
  assert.deepEqual(await head(page, 'ls_new'), { count: 2, value: '$2,900' })
  assert.deepEqual(await head(page, 'ls_contacted'), { count: 1, value: '$1,000' })

  // The keyboard: the card's status select and its Move button; focus comes back to the moved card.
  await page.focus(`#move-${ben}`)
  await page.selectOption(`#move-${ben}`, 'ls_estimate_sent')
  await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')
  await page.locator(`#cards-ls_estimate_sent #lead-${ben}`).waitFor()
  await page.waitForFunction((id) => document.activeElement?.id === `move-${id}`, ben)
  assert.deepEqual(await head(page, 'ls_estimate_sent'), { count: 1, value: '$2,500' })
  assert.deepEqual(await head(page, 'ls_new'), { count: 1, value: '$400' })
  await context.close()

  // Without JavaScript the same form posts and the board comes back saying what moved.
  const plain = await harness.browser.newContext({ viewport: { width: 375, height: 800 }, javaScriptEnabled: false })
  const phone = await plain.newPage()
  await phone.goto(`${harness.url}/login`)
  await submitLogin(phone, harness, { email })
  await phone.goto(`${harness.url}/app/leads`)
  assert.ok((await scrollWidth(phone)) <= 375, 'the board fits a phone without sideways scrolling')
  await phone.selectOption(`#move-${cy}`, 'ls_lost')
  await phone.click(`#lead-${cy} button:has-text("Move")`)
  await phone.waitForURL(new RegExp(`/app/leads\\?moved=${cy}`))
  assert.match(await phone.textContent('#board-status'), /Moved Cy Moss to Lost\./)
  await phone.locator(`#cards-ls_lost #lead-${cy}`).waitFor()
  assert.deepEqual(await head(phone, 'ls_lost'), { count: 1, value: '$400' })
  assert.deepEqual(await head(phone, 'ls_new'), { count: 0, value: '$0' })
  await phone.screenshot({ path: 'test-results/leads-375.png', fullPage: true })
  await plain.close()
})

test('the list filters by status and follow-up, and a lead page converts to a client', async () => {
  const context = await harness.browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  const email = `owner-${Date.now()}-b@example.com`
  await signUpOnPage(page, harness, { organization: 'List Cleaning', name: 'Lou Owner', email })
  const id = await newLead(page, { first: 'Mara', last: 'Quinn', value: '900' })
  await page.fill('#f-email', 'mara.quinn@example.com')
  await page.click('button:has-text("Save")')
  await page.locator('#lead-edit .notice').waitFor()
  await page.goto(`${harness.url}/app/leads?view=list`)
  await page.selectOption('#lead-status', 'ls_contacted')
  await page.locator('#lead-rows .empty-row').waitFor()
  await page.selectOption('#lead-status', '')
  await page.locator(`#lead-rows [data-lead-id="${id}"]`).waitFor()
  await page.click(`#lead-rows a[href="/app/leads/${id}"]`)
  await page.waitForURL(new RegExp(`/app/leads/${id}$`))
  await page.screenshot({ path: 'test-results/lead-page.png', fullPage: true })
  await page.click('[data-testid=convert]')
  await page.click('button:has-text("Convert to client")')
  await page.locator('[data-testid=converted]').waitFor()
  await page.click('text=Open the client →')
  await page.locator('[data-testid=lead-history]').waitFor()
  assert.match(await page.textContent('[data-testid=lead-history]'), /From lead: Mara Quinn/)
  await context.close()
})
