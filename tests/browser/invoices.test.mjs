// Invoices in headless Chromium against `wrangler dev`: the owner connects Stripe in Settings, edits
// an invoice's lines and sends it by text; the homeowner opens the link from the outbox on a phone,
// pays through Stripe Checkout (a local fake Stripe, tests/browser/stripe-fake.mjs) and comes back
// to a paid invoice, and the signed webhook marks it paid for staff and sends the receipt.
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { after, before, test } from 'node:test'
import { startHarness } from './harness.mjs'
import { scrollWidth, signIn, signUpBusiness } from './steps.mjs'
import { startStripeFake } from './stripe-fake.mjs'

const STRIPE_KEYS = { secretKey: 'sk_test_browser_invoices', webhookSecret: 'whsec_browser_invoices_0123456789' }
const ACCOUNT = 'acct_1BrowserCarpet01'

let harness
let stripe

before(async () => {
  stripe = await startStripeFake(STRIPE_KEYS)
  harness = await startHarness({
    vars: {
      STRIPE_API_BASE: stripe.url,
      STRIPE_SECRET_KEY: STRIPE_KEYS.secretKey,
      STRIPE_WEBHOOK_SECRET: STRIPE_KEYS.webhookSecret,
    },
  })
  stripe.webhook = `${harness.url}/webhooks/stripe`
  mkdirSync('test-results', { recursive: true })
})
after(async () => {
  await harness?.stop()
  await stripe?.stop()
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

test('send an invoice and pay it from the portal link', async () => {
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

  // Staff: no way to pay yet, so the invoice page links to Settings, where the owner connects Stripe.
  const { context, page } = await signIn(harness, owner)
  await page.goto(`${harness.url}/app/invoices/${invoice.id}`)
  await page.click('[data-testid=setup-payments] a')
  await page.waitForURL(`${harness.url}/app/settings#payments`)
  await page.fill('#payments input[name=stripe_account_id]', ACCOUNT)
  await page.click('#payments button:has-text("Save payment settings")')
  await page.waitForSelector('#payments .notice:has-text("Saved.")')
  assert.match(
    await page.textContent('[data-testid=stripe-status]'),
    new RegExp(`Connected Stripe connected \\(${ACCOUNT}\\)`),
  )
  await page.goto(`${harness.url}/app/invoices/${invoice.id}`)
  assert.equal(await page.locator('[data-testid=setup-payments]').count(), 0)

  // Then they add a line with the editor.
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

  // The homeowner's phone: the link from the text opens the invoice, ready to print or pay.
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
  // On paper: the lines and totals without the portal's bar or buttons.
  assert.ok(await phonePage.isVisible('[data-testid=portal-print]'), 'the invoice offers "Print or save as PDF"')
  await phonePage.emulateMedia({ media: 'print' })
  assert.ok(await phonePage.isVisible('[data-testid=portal-invoice-lines]'), 'the printout has the lines')
  for (const chrome of ['header.bar', 'button:has-text("Pay $162.30")', '[data-testid=portal-print]'])
    assert.ok(!(await phonePage.isVisible(chrome)), `the printout leaves out ${chrome}`)
  await phonePage.screenshot({ path: 'test-results/portal-invoice-print.png', fullPage: true })
  await phonePage.emulateMedia({ media: 'screen' })

  // Pay opens Stripe Checkout on the business's account, for the invoice's balance.
  await phonePage.click('button:has-text("Pay $162.30")')
  await phonePage.waitForURL(`${stripe.url}/c/pay/**`)
  assert.equal(await phonePage.textContent('[data-testid=checkout-amount]'), '$162.30')
  assert.equal(
    await phonePage.textContent('[data-testid=checkout-product]'),
    `Invoice #${invoice.number} from Browser Carpet Care`,
  )
  assert.equal(stripe.requests.length, 1)
  const [create] = stripe.requests
  assert.equal(create.headers['stripe-account'], ACCOUNT)
  assert.equal(create.form.get('metadata[invoice_id]'), invoice.id)
  assert.equal(create.form.get('line_items[0][price_data][unit_amount]'), '16230')
  await phonePage.screenshot({ path: 'test-results/portal-checkout-375.png', fullPage: true })

  // Paying: Stripe tells the Worker (signed webhook) and sends the homeowner back to the invoice.
  await phonePage.click('button:has-text("Pay $162.30")')
  await phonePage.waitForURL(
    (url) => url.href.startsWith(`${harness.url}/p/`) && url.searchParams.get('done') === 'paid',
  )
  assert.deepEqual(
    stripe.deliveries.map((d) => [d.event.type, d.status]),
    [['checkout.session.completed', 200]],
  )
  assert.match(stripe.deliveries[0].answer, /"recorded":true/)
  assert.equal(await phonePage.textContent('h1'), 'This invoice is paid')
  assert.match(await phonePage.textContent('main'), /Thank you!/)
  await phonePage.screenshot({ path: 'test-results/portal-paid-375.png', fullPage: true })

  // Staff see it paid, and the receipt went out by text.
  await page.bringToFront()
  await page.reload()
  assert.equal((await page.textContent('[data-testid=invoice-status]')).trim(), 'paid')
  const receipt = await smsText(outbox, phone, 'thank you! We received your payment')
  assert.match(receipt, new RegExp(`payment of \\$162\\.30 for invoice #${invoice.number}\\. It is paid in full\\.`))
  const receipts = await api('GET', `/api/v1/messages?purpose=receipt&org_client_id=${client.org_client_id}`)
  assert.deepEqual(
    receipts.items.map((m) => [m.channel, m.to]),
    [['sms', phone]],
    'one receipt for one payment',
  )
  // The pay link now only thanks; Pay is gone.
  await phonePage.goto(link)
  assert.equal(await phonePage.textContent('h1'), 'This invoice is paid')
  assert.equal(await phonePage.locator('button:has-text("Pay")').count(), 0)

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
