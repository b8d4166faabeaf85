// Staff sign-in as a person does it, in headless Chromium against `wrangler dev`.
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { after, before, test } from 'node:test'
import { startHarness } from './harness.mjs'
import { PASSWORD, signUpOnPage, submitLogin } from './steps.mjs'

let harness

before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.stop()
})

test('an owner signs up, lands on the home page, logs out and logs back in', async () => {
  const page = await harness.browser.newPage()
  const email = `owner-${Date.now()}@example.com`
  await signUpOnPage(page, harness, { organization: 'Bright Windows Co', name: 'Robin', email })
  assert.equal(await page.textContent('[data-testid=business-name]'), 'Bright Windows Co')

  // The nav's badge loads after the page does; let it finish so the logout navigation is not cut short.
  await page.waitForLoadState('networkidle')
  await Promise.all([page.waitForURL(/\/login$/), page.click('text=Log out')])
  await page.goto(`${harness.url}/app`)
  assert.match(page.url(), /\/login\?next=%2Fapp$/)

  await submitLogin(page, harness, { email })
  assert.equal(await page.textContent('[data-testid=business-name]'), 'Bright Windows Co')
  await page.close()
})

test('a sign-up with a bad email comes back filled in, with the error beside the field', async () => {
  const page = await harness.browser.newPage()
  await page.goto(`${harness.url}/signup`)
  await page.fill('#f-organization_name', 'Kept Name LLC')
  await page.fill('#f-email', 'not-an-email@nowhere')
  await page.fill('#f-password', PASSWORD)
  // The browser's own email check would stop the post; turn it off to reach the server's.
  await page.$eval('form', (form) => {
    form.noValidate = true
  })
  await page.click('button[type=submit]')
  assert.equal(await page.inputValue('#f-organization_name'), 'Kept Name LLC')
  assert.match(await page.textContent('#f-email-error'), /valid email/)
  await page.close()
})

test('the owner makes an API key with htmx and sees it once; the nav opens on a phone', async () => {
  const context = await harness.browser.newContext({ viewport: { width: 375, height: 740 } })
  const page = await context.newPage()
  await signUpOnPage(page, harness, { organization: 'Phone Plumbing', email: `phone-${Date.now()}@example.com` })

  assert.equal(await page.isVisible('nav.nav'), false)
  await page.click('summary')
  assert.equal(await page.isVisible('nav.nav >> text=Settings'), true)
  await page.click('nav.nav >> text=Settings')
  await page.waitForURL(/\/app\/settings$/)

  await page.fill('#key-name', 'Zapier')
  await page.click('text=Create key')
  const key = await page.textContent('[data-testid=new-api-key]')
  assert.match(key, /^hb_/)
  // htmx swapped the fragment in place: still on the settings page, key shown once.
  assert.match(page.url(), /\/app\/settings$/)
  assert.equal(await page.locator('#key-rows li').count(), 2)
  assert.match(await page.locator('#key-rows li').first().textContent(), /Zapier/)
  const res = await fetch(`${harness.url}/api/v1/clients`, { headers: { authorization: `Bearer ${key}` } })
  assert.equal(res.status, 200)
  mkdirSync('test-results', { recursive: true })
  await page.screenshot({ path: 'test-results/settings-375.png', fullPage: true })
  await context.close()
})
