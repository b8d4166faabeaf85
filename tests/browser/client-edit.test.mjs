// Staff repair a client's card on the client page, in headless Chromium against `wrangler dev`.
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

test("staff fix a typo in a client's phone on the client page and revert it", async () => {
  const owner = await signUpBusiness(harness, 'Typo Fix Plumbing')
  const client = await owner.api('POST', '/api/v1/clients', {
    first_name: 'Rosa',
    last_name: 'Diaz',
    email: 'rosa.diaz@example.com',
    phone: '(415) 555-0100',
  })
  const { page, context } = await signIn(harness, owner)

  await page.click('nav.nav-wide >> text=Clients')
  await page.click('text=Rosa Diaz')
  await page.waitForURL(new RegExp(`/app/clients/${client.org_client_id}$`))
  assert.match(await page.textContent('[data-testid=contact-phones]'), /\(415\) 555-0100\s*added through the API/)

  await page.click('[data-testid=edit-contact]')
  await page.waitForSelector('#contact-phone')
  assert.equal(await page.inputValue('#contact-phone'), '(415) 555-0100')
  // A number too short to be real comes back beside the field; nothing is saved.
  await page.fill('#contact-phone', '415 555 019')
  await page.click('text=Save contact')
  await page.waitForSelector('#contact-phone-error')
  assert.match(await page.textContent('#contact-phone-error'), /area code/)
  assert.equal(await page.inputValue('#contact-phone'), '415 555 019')

  await page.fill('#contact-phone', '(415) 555-0199')
  await page.click('text=Save contact')
  await page.waitForSelector('#client-contact .notice')
  assert.match(
    await page.textContent('[data-testid=contact-phones]'),
    /^\s*\(415\) 555-0199\s*primary\s*added by owner-[^@]+@example\.com · \w{3} \d{1,2}\s*\(415\) 555-0100/,
  )
  const entry = page.locator('#timeline li', { hasText: 'Phone changed from (415) 555-0100 to (415) 555-0199' })
  assert.match(await entry.textContent(), new RegExp(`by ${owner.email.replace(/[.]/g, '\\.')}`))
  assert.equal(page.url(), `${harness.url}/app/clients/${client.org_client_id}`)
  await page.screenshot({ path: 'test-results/client-contact-edited.png', fullPage: true })

  await entry.locator('[data-testid=revert]').click()
  await page.waitForSelector('#client-contact .notice:has-text("Put back.")')
  assert.match(await page.textContent('[data-testid=contact-phones]'), /\(415\) 555-0100/)
  assert.doesNotMatch(await page.textContent('[data-testid=contact-phones]'), /555-0199/)
  assert.match(await page.textContent('#timeline'), /Phone put back from \(415\) 555-0199 to \(415\) 555-0100/)
  // The old number is current again, so there is nothing left to revert on the typo.
  assert.equal(
    await page.locator('#timeline li', { hasText: 'Phone changed from' }).locator('[data-testid=revert]').count(),
    0,
  )

  await page.reload()
  assert.match(await page.textContent('[data-testid=contact-phones]'), /\(415\) 555-0100/)
  const saved = await owner.api('GET', `/api/v1/clients/${client.org_client_id}`)
  assert.equal(saved.primary_phone_e164, '+14155550100')
  await context.close()
})

test('staff add, edit and remove a property on a 375 px phone', async () => {
  const owner = await signUpBusiness(harness, 'Pocket Lawn Care')
  const client = await owner.api('POST', '/api/v1/clients', {
    first_name: 'Alexandria-Josephine',
    last_name: 'Montgomery-Worthington',
    email: 'alexandria.josephine.montgomery@example.com',
    phone: '(415) 555-0177',
  })
  const { page, context } = await signIn(harness, owner, { width: 375, height: 800 })
  await page.goto(`${harness.url}/app/clients/${client.org_client_id}`)

  await page.click('text=Add an address')
  await page.fill('#addr-new-label', 'Home')
  await page.fill('#addr-new-address1', '1200 Extraordinarily Long Boulevard Name')
  await page.fill('#addr-new-city', 'San Francisco')
  await page.fill('#addr-new-state', 'CA')
  await page.click('text=Add address')
  await page.waitForSelector('#addr-new-postal-error')
  await page.fill('#addr-new-postal', '94110')
  await page.click('text=Add address')
  await page.waitForSelector('#client-properties .notice:has-text("Address added.")')
  assert.match(
    await page.textContent('[data-testid=address]'),
    /1200 Extraordinarily Long Boulevard Name, San Francisco, CA 94110/,
  )
  assert.match(await page.textContent('#timeline'), /Address added: 1200 Extraordinarily Long Boulevard Name/)

  await page.click('[data-testid=address] >> text=Edit')
  await page.fill('[id$=-address2]', 'Unit 4')
  await page.click('text=Save address')
  await page.waitForSelector('#client-properties .notice:has-text("Address saved.")')
  assert.match(await page.textContent('[data-testid=address]'), /Name, Unit 4, San Francisco/)

  await page.click('[data-testid=edit-contact]')
  await page.waitForSelector('#contact-phone')
  assert.ok((await scrollWidth(page)) <= 375, 'the contact form fits the phone')
  await page.screenshot({ path: 'test-results/client-edit-375.png', fullPage: true })
  await page.click('#client-contact >> text=Cancel')
  await page.waitForSelector('[data-testid=edit-contact]')

  page.once('dialog', (dialog) => dialog.accept())
  await page.click('[data-testid=address] >> text=Remove')
  await page.waitForSelector('#client-properties .notice:has-text("Address removed.")')
  assert.equal(await page.locator('[data-testid=address]').count(), 0)
  assert.ok((await scrollWidth(page)) <= 375, 'the client page fits the phone')
  await context.close()
})
