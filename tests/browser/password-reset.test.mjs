// A staff member who forgot their password resets it from the login page, in headless Chromium against `wrangler dev`.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { startHarness } from './harness.mjs'
import { PASSWORD, signUpOnPage, submitLogin } from './steps.mjs'

const NEW_PASSWORD = 'a fresh new password'

let harness

before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.stop()
})

test('an owner who forgot their password gets a link by email, sets a new one and the old one stops working', async () => {
  const page = await harness.browser.newPage()
  const email = `forgetful-${Date.now()}@example.com`
  await signUpOnPage(page, harness, { organization: 'Clear Gutters Co', email })
  await page.waitForLoadState('networkidle')
  await Promise.all([page.waitForURL(/\/login$/), page.click('text=Log out')])

  await Promise.all([page.waitForURL(/\/forgot$/), page.click('text=Forgot your password?')])
  await page.fill('#f-email', email)
  await page.click('button[type=submit]')
  assert.match(
    await page.textContent('[data-testid=reset-sent]'),
    /If an account exists for that email, we sent a link/,
  )

  // The local outbox keeps the email instead of sending it.
  await page.goto(`${harness.url}/dev/outbox`)
  const item = page.locator('.outbox-item', { hasText: email }).filter({ hasText: 'Reset your HomeBase password' })
  const link = await item.locator('a[href*="/reset/"]').first().getAttribute('href')
  assert.match(link, /\/reset\/[\w-]+$/)

  await page.goto(link)
  await page.fill('#f-password', NEW_PASSWORD)
  await Promise.all([page.waitForURL(`${harness.url}/app`), page.click('button[type=submit]')])
  assert.equal(await page.textContent('[data-testid=business-name]'), 'Clear Gutters Co')

  // The link worked once.
  const again = await page.goto(link)
  assert.equal(again.status(), 410)

  await page.goto(`${harness.url}/app`)
  await page.waitForLoadState('networkidle')
  await Promise.all([page.waitForURL(/\/login$/), page.click('text=Log out')])
  await page.fill('#f-email', email)
  await page.fill('#f-password', PASSWORD)
  await page.click('button[type=submit]')
  assert.match(await page.textContent('[role=alert]'), /Wrong email or password/)
  assert.match(page.url(), /\/login$/)

  await submitLogin(page, harness, { email, password: NEW_PASSWORD })
  assert.equal(await page.textContent('[data-testid=business-name]'), 'Clear Gutters Co')
  await page.close()
})
