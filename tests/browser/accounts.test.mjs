// Commercial accounts as staff use them, in headless Chromium against `wrangler dev`: a new account, contacts and the primary's star, a site, a phone without JavaScript.
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

/** The contacts card's names in order, each with "★" when it is the primary. */
async function contactNames(page) {
  return page.$$eval('[data-testid=account-contact]', (rows) =>
    rows.map((r) => {
      const name = r.querySelector('.row-main > strong')?.textContent?.replace('★ primary', '').trim() ?? ''
      return r.querySelector('[data-testid=primary]') ? `★ ${name}` : name
    }),
  )
}

test('staff add an account, two contacts (the first gets the star), move the star, and add a site', async () => {
  const owner = await signUpBusiness(harness, 'Harbor Window Washing')
  const { context, page } = await signIn(harness, owner)
  await page.goto(`${harness.url}/app/accounts`)
  await page.click('text=New account')
  await page.fill('#new-name', 'Bayview Property Management')
  await page.fill('#new-address1', '500 Market St')
  await page.fill('#new-city', 'San Francisco')
  await page.fill('#new-state', 'CA')
  await page.fill('#new-postal', '94105')
  await page.click('button:has-text("Add account")')
  await page.waitForURL(/\/app\/accounts\/[0-9a-f-]+$/)
  assert.equal(await page.textContent('[data-testid=account-name]'), 'Bayview Property Management')

  for (const [first, email, role] of [
    ['Pat', 'pat.lee@example.com', 'Property manager'],
    ['Quinn', 'quinn@example.com', 'Accounts payable'],
  ]) {
    await page.click('#account-contacts summary:has-text("Add a contact")')
    await page.fill('#contact-first', first)
    await page.fill('#contact-email', email)
    await page.fill('#contact-role', role)
    await page.click('#account-contacts button:has-text("Add contact")')
    await page.locator(`#account-contacts [data-testid=account-contact]:has-text("${first}")`).waitFor()
  }
  assert.deepEqual(await contactNames(page), ['★ Pat', 'Quinn'])
  assert.match(await page.textContent('#account-summary'), /2 contacts · 0 sites/)

  await page.click('#account-contacts [data-testid=account-contact]:has-text("Quinn") button:has-text("Make primary")')
  await page.locator('#account-contacts .notice:has-text("Primary contact changed")').waitFor()
  assert.deepEqual(await contactNames(page), ['★ Quinn', 'Pat'])

  await page.click('#account-sites summary:has-text("Add a site")')
  await page.fill('#site-label', 'Building B')
  await page.fill('#site-address1', '12 Harbor Way')
  await page.fill('#site-city', 'Oakland')
  await page.fill('#site-state', 'CA')
  await page.fill('#site-postal', '94607')
  await page.click('#account-sites button:has-text("Add site")')
  await page.locator('#account-sites [data-testid=account-site]:has-text("12 Harbor Way")').waitFor()
  await page.screenshot({ path: 'test-results/account-page.png', fullPage: true })

  // The site's link opens the booking form for the primary contact, at the site.
  await page.click('text=Book a job here')
  await page.waitForURL(/\/app\/jobs\/new\?/)
  assert.match(await page.$eval('select[name=site_id]', (s) => s.selectedOptions[0].textContent), /Building B/)
  await context.close()
})

test('on a phone without JavaScript the account page fits, and a contact is added and starred with plain forms', async () => {
  const owner = await signUpBusiness(harness, 'Phone Width Gutters')
  const { account_id: id } = await owner.api('POST', '/api/v1/accounts', { name: 'Lakeside Homeowners Association' })
  await owner.api('POST', `/api/v1/accounts/${id}/contacts`, { first_name: 'Rosa', role: 'Board president' })
  await owner.api('POST', `/api/v1/accounts/${id}/sites`, {
    label: 'Clubhouse',
    address1: '1 Lakeside Drive',
    city: 'Oakland',
    state: 'CA',
    postal: '94610',
  })
  const context = await harness.browser.newContext({ viewport: { width: 375, height: 800 }, javaScriptEnabled: false })
  const page = await context.newPage()
  await page.goto(`${harness.url}/login`)
  await page.fill('#f-email', owner.email)
  await page.fill('#f-password', owner.password)
  await page.click('button[type=submit]')
  await page.waitForURL(`${harness.url}/app`)

  await page.goto(`${harness.url}/app/accounts`)
  assert.ok((await scrollWidth(page)) <= 375, 'the accounts list fits a phone')
  await page.click('text=Lakeside Homeowners Association')
  await page.waitForURL(new RegExp(`/app/accounts/${id}$`))
  assert.ok((await scrollWidth(page)) <= 375, 'the account page fits a phone')

  await page.click('#account-contacts summary:has-text("Add a contact")')
  await page.fill('#contact-first', 'Sam')
  await page.fill('#contact-phone', '(415) 555-0142')
  await page.check('#account-contacts input[name=is_primary]')
  await page.click('#account-contacts button:has-text("Add contact")')
  await page.waitForURL(new RegExp(`/app/accounts/${id}$`))
  assert.deepEqual(await contactNames(page), ['★ Sam', 'Rosa'])
  await page.screenshot({ path: 'test-results/account-page-375.png', fullPage: true })
  await context.close()
})
