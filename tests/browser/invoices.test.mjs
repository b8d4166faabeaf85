// Invoices in headless Chromium against `wrangler dev`: staff edit an invoice's lines and send it by
// text, the homeowner opens the link from the outbox on a phone and sees how to pay, and the payment
// the business records sends a receipt.
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

test('staff send an invoice by text, the homeowner opens its link and sees how to pay, and the recorded payment sends a receipt', async () => {
  const owner = await signUpBusiness(harness, 'Browser Carpet Care')
  const { api } = owner
  await api('PATCH', '/api/v1/organization', {
    quiet_hours: { start: '00:00', end: '00:00' },
    phone: '(415) 555-0142',
    default_tax_rate: 10.25,
  })
  const phone = `+1415555${String(2000 + Math.floor(Math.random() * 7999))}`
  const client = await api('POST', '/api/v1/clients', {
    first_name: 'Robin',
    last_name: 'Park',
    phone,
    address: { address1: '9 Elm St', city: 'Oakland', state: 'CA', postal: '94610' },
  })
  const { invoice } = await api('POST', '/api/v1/invoices', {
    org_client_id: client.org_client_id,
    due_date: '2031-04-01',
    line_items: [{ description: 'Carpet cleaning', quantity: 1, unit_price_cents: 12_000 }],
  })

  // Staff: no way to pay yet, so the page says to set one up; then they add a line with the editor.
  const { context, page } = await signIn(harness, owner)
  await page.goto(`${harness.url}/app/invoices/${invoice.id}`)
  assert.equal(await page.getAttribute('[data-testid=setup-payments] a', 'href'), '/app/settings#payments')
  await api('PATCH', '/api/v1/organization', { payment_instructions: 'Zelle to pay@carpet.example' })
  await page.reload()
  assert.equal(await page.locator('[data-testid=setup-payments]').count(), 0)
  await page.click('[data-testid=edit-lines]')
  await page.waitForSelector('#invoice-lines form')
  await page.click('#invoice-lines button:has-text("Add line")')
  await page.waitForSelector('input[name=line_description_1]')
  await page.fill('input[name=line_description_1]', 'Stain guard')
  await page.fill('input[name=line_quantity_1]', '1.5')
  await page.fill('input[name=line_price_1]', '20')
  await page.uncheck('input[name=line_taxable_1]')
  await page.click('#invoice-lines .form-actions button:has-text("Save lines")')
  await page.waitForSelector('#invoice-panel .notice:has-text("Lines saved.")')
  // 120 + 30 = 150; tax 10.25 % of 120 = 12.30.
  assert.equal(await page.textContent('[data-testid=invoice-subtotal]'), '$150.00')
  assert.equal(await page.textContent('[data-testid=invoice-tax]'), '$12.30')
  assert.equal(await page.textContent('[data-testid=invoice-total]'), '$162.30')
  await page.screenshot({ path: 'test-results/invoice-page.png', fullPage: true })

  await page.click('button:has-text("Send by text")')
  await page.waitForSelector('#invoice-panel .notice:has-text("Invoice sent by text.")')
  assert.notEqual(await page.textContent('[data-testid=invoice-sent]'), 'Not sent yet')

  // The homeowner's phone: the link from the text opens the invoice, and Pay shows the instructions.
  const outbox = await context.newPage()
  const text = await smsText(outbox, phone, `invoice #${invoice.number} for $162.30`)
  const link = text.match(/https?:\/\/\S+\/p\/[\w.-]+/)[0]
  const home = await harness.browser.newContext({
    viewport: { width: 375, height: 812 },
    isMobile: true,
    hasTouch: true,
  })
  const phonePage = await home.newPage()
  await phonePage.goto(link)
  assert.equal(await phonePage.textContent('h1'), 'Browser Carpet Care')
  const lines = await phonePage.textContent('[data-testid=portal-invoice-lines]')
  for (const part of ['Carpet cleaning', 'Stain guard', '1.5 × $20.00', 'Tax (10.25%)', '$162.30'])
    assert.ok(lines.includes(part), `the portal's invoice shows ${part}`)
  assert.ok((await scrollWidth(phonePage)) <= 375, 'the invoice fits a 375 px screen')
  await phonePage.screenshot({ path: 'test-results/portal-invoice-375.png', fullPage: true })
  await phonePage.click('button:has-text("Pay $162.30")')
  await phonePage.waitForSelector('[data-testid=payment-instructions]')
  assert.equal(await phonePage.textContent('[data-testid=payment-instructions]'), 'Zelle to pay@carpet.example')
  await phonePage.screenshot({ path: 'test-results/portal-pay-instructions-375.png', fullPage: true })

  // The business sees the Zelle payment and records it; the receipt goes out.
  await page.bringToFront()
  assert.equal(await page.inputValue('#payment-amount'), '162.30')
  await page.selectOption('#payment-method', 'bank transfer')
  await page.click('text=Record payment')
  await page.waitForSelector('[data-testid=invoice-status]:has-text("paid")')
  const receipt = await smsText(outbox, phone, 'thank you! We received your payment')
  assert.match(receipt, new RegExp(`payment of \\$162\\.30 for invoice #${invoice.number}\\. It is paid in full\\.`))
  await phonePage.goto(link)
  assert.match(await phonePage.textContent('h1'), /This invoice is paid/)

  // The printout, and the staff page on a phone.
  await page.goto(`${harness.url}/app/invoices/${invoice.id}/print`)
  assert.equal(await page.textContent('[data-testid=wordmark]'), 'Browser Carpet Care')
  await page.emulateMedia({ media: 'print' })
  await page.screenshot({ path: 'test-results/invoice-print.png', fullPage: true })
  await home.close()
  await context.close()

  const narrow = await signIn(harness, owner, { width: 375, height: 800 })
  await narrow.page.goto(`${harness.url}/app/invoices/${invoice.id}`)
  assert.ok((await scrollWidth(narrow.page)) <= 375, 'the invoice page fits a 375 px phone')
  await narrow.page.screenshot({ path: 'test-results/invoice-page-375.png', fullPage: true })
  await narrow.context.close()
})
