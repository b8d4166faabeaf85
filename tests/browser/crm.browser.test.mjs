// The CRM pages as staff use them, in headless Chromium against `wrangler dev`.
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { after, before, test } from 'node:test'
import { startHarness } from './harness.mjs'
import { scrollWidths, signIn, signUpBusiness } from './steps.mjs'

let harness

before(async () => {
  harness = await startHarness()
  mkdirSync('test-results', { recursive: true })
})
after(async () => {
  await harness?.stop()
})

/** A new business made through the API, its owner signed in in a fresh browser context. */
async function business(name, viewport) {
  const owner = await signUpBusiness(harness, name)
  const { page, context } = await signIn(harness, owner, viewport)
  return { page, context, api: owner.api }
}

test('staff books a job for a new client from the schedule', async () => {
  const { page, context, api } = await business('Book It Cleaning')
  await api('POST', '/api/v1/services', { name: 'Standard clean', duration_minutes: 120, price_cents: 14_000 })
  await page.click('nav.nav-wide >> text=Schedule')
  await page.waitForURL(/\/app\/schedule$/)
  await page.click('text=New job')
  await page.waitForURL(/\/app\/jobs\/new$/)

  await page.click('label[for=mode-new]')
  assert.equal(await page.isVisible('#f-org_client_id'), false)
  await page.fill('#f-first_name', 'Nora')
  await page.fill('#f-last_name', 'Quinn')
  await page.fill('#f-start', '2030-01-08T10:30')
  await page.selectOption('#f-service_id', { label: 'Standard clean · 2 h · $140.00' })
  await page.click('text=Book job')
  // The form comes back in place with the missing contact marked, everything typed still there.
  await page.waitForSelector('#f-phone-error')
  assert.match(await page.textContent('#f-phone-error'), /phone or an email/)
  assert.equal(await page.inputValue('#f-first_name'), 'Nora')
  assert.match(page.url(), /\/app\/jobs\/new$/)

  await page.fill('#f-phone', '(415) 555-0134')
  await page.fill('#f-address1', '12 Pine St')
  await page.fill('#f-city', 'San Francisco')
  await page.fill('#f-state', 'CA')
  await page.fill('#f-postal', '94108')
  await page.screenshot({ path: 'test-results/new-job.png', fullPage: true })
  await page.click('text=Book job')
  await page.waitForURL(/\/app\/schedule\?week=2030-01-08&booked=/)
  assert.match(await page.textContent('[data-testid=booked]'), /Standard clean for Nora Quinn on Tue, Jan 8, 10:30 AM/)
  assert.match(await page.textContent('[data-date="2030-01-08"]'), /10:30 AM\s*Nora Quinn/)
  await page.screenshot({ path: 'test-results/schedule-week.png', fullPage: true })

  await page.click('[data-date="2030-01-08"] .job-chip a')
  await page.waitForURL(/\/app\/jobs\/[0-9a-f-]+$/)
  assert.equal(await page.textContent('[data-testid=job-status]'), 'Scheduled')
  await page.fill('#reschedule-start', '2030-01-09T13:00')
  await page.click('button:has-text("Reschedule")')
  await page.waitForSelector('text=Moved to Wed, Jan 9, 1:00 PM')
  await page.click('text=Mark complete')
  await page.waitForSelector('[data-testid=job-status]:has-text("Completed")')
  await page.screenshot({ path: 'test-results/job.png', fullPage: true })

  const { items } = await api('GET', '/api/v1/jobs')
  assert.equal(items.length, 1)
  assert.equal(items[0].start_at, '2030-01-09T21:00:00.000Z')
  assert.equal(items[0].status, 'completed')
  await context.close()
})

test('finds the client by typing part of their phone number', async () => {
  const { page, context, api } = await business('Search Plumbing')
  await api('POST', '/api/v1/clients', {
    first_name: 'Priya',
    last_name: 'Raman',
    phone: '(510) 555-0143',
    status: 'lead',
    tags: ['move-out'],
  })
  await api('POST', '/api/v1/clients', { first_name: 'Tom', last_name: 'Becker', phone: '(650) 555-0104' })
  await api('POST', '/api/v1/clients', {
    first_name: 'Maria',
    last_name: 'Gonzalez',
    email: 'maria@example.com',
    phone: '(415) 555-0101',
    tags: ['weekly', 'vip'],
  })
  await page.click('nav.nav-wide >> text=Clients')
  await page.waitForURL(/\/app\/clients$/)
  assert.equal(await page.locator('#client-rows tr').count(), 3)
  await page.screenshot({ path: 'test-results/clients.png', fullPage: true })

  await page.locator('#client-q').pressSequentially('555-014', { delay: 40 })
  await page.waitForFunction(() => document.querySelectorAll('#client-rows tr').length === 1)
  assert.match(await page.textContent('#client-rows'), /Priya Raman/)
  assert.match(page.url(), /\/app\/clients\?q=555-014/)
  await page.screenshot({ path: 'test-results/clients-search.png', fullPage: true })

  await page.click('text=Priya Raman')
  await page.waitForURL(/\/app\/clients\/[0-9a-f-]+$/)
  await page.click('text=Edit details')
  await page.selectOption('#edit-status', 'active')
  await page.fill('#edit-tags', 'move-out, spring')
  await page.click('text=Save details')
  await page.waitForSelector('#client-private .notice')
  assert.equal(await page.textContent('[data-testid=client-status]'), 'active')
  await page.fill('#new-note', 'Prefers texts after 5pm')
  await page.click('text=Add note')
  await page.waitForSelector('[data-testid=notes] >> text=Prefers texts after 5pm')
  assert.match(await page.textContent('#timeline'), /Status changed from lead to active/)
  await page.screenshot({ path: 'test-results/client.png', fullPage: true })
  await context.close()
})

test('records a payment and sees the invoice turn paid', async () => {
  const { page, context, api } = await business('Paid Up Lawns')
  const client = await api('POST', '/api/v1/clients', {
    first_name: 'Ivan',
    last_name: 'Petrov',
    email: 'ivan@example.com',
  })
  const { invoice } = await api('POST', '/api/v1/invoices', {
    org_client_id: client.org_client_id,
    total_cents: 24_000,
    due_date: '2030-02-01',
  })
  await api('POST', '/api/v1/invoices', {
    org_client_id: client.org_client_id,
    total_cents: 9_900,
    due_date: '2020-02-01',
  })
  await page.click('nav.nav-wide >> text=Invoices')
  await page.waitForURL(/\/app\/invoices$/)
  assert.equal(await page.locator('tr.is-overdue').count(), 1)
  await page.screenshot({ path: 'test-results/invoices.png', fullPage: true })

  await page.click(`text=#${invoice.number}`)
  await page.waitForURL(new RegExp(`/app/invoices/${invoice.id}$`))
  assert.equal(await page.inputValue('#payment-amount'), '240.00')
  await page.fill('#payment-amount', '40')
  await page.selectOption('#payment-method', 'cash')
  await page.click('text=Record payment')
  await page.waitForSelector('[data-testid=invoice-balance]:has-text("$200.00")')
  assert.equal(await page.textContent('[data-testid=invoice-status]'), 'open')
  assert.equal(await page.inputValue('#payment-amount'), '200.00')
  await page.click('text=Record payment')
  await page.waitForSelector('[data-testid=invoice-status]:has-text("paid")')
  assert.match(await page.textContent('#invoice-panel .notice'), /paid in full/)
  assert.equal(await page.locator('#payment-amount').count(), 0)
  assert.equal(await page.locator('[data-testid=payments] li').count(), 2)
  await page.screenshot({ path: 'test-results/invoice-paid.png', fullPage: true })
  await context.close()
})

test('the dashboard, schedule and other pages fit a 375 px phone without sideways scrolling', async () => {
  const { page, context, api } = await business('Phone Width Window Washing Company', { width: 375, height: 800 })
  const client = await api('POST', '/api/v1/clients', {
    first_name: 'Alexandria-Josephine',
    last_name: 'Montgomery-Worthington',
    email: 'alexandria.josephine.montgomery@example.com',
    phone: '(415) 555-0177',
    tags: ['weekly', 'vip', 'two-dogs'],
    address: {
      address1: '1200 Extraordinarily Long Boulevard Name',
      city: 'San Francisco',
      state: 'CA',
      postal: '94110',
    },
  })
  const today = await page.evaluate(() => new Date().toISOString().slice(0, 10))
  await api('POST', '/api/v1/jobs', {
    org_client_id: client.org_client_id,
    start_at: new Date(Date.now() + 3_600_000).toISOString(),
    price_cents: 18_000,
  })
  const { invoice } = await api('POST', '/api/v1/invoices', {
    org_client_id: client.org_client_id,
    total_cents: 18_000,
    due_date: today,
  })
  const pages = {
    dashboard: '/app',
    schedule: '/app/schedule',
    clients: '/app/clients',
    client: `/app/clients/${client.org_client_id}`,
    'new-job': '/app/jobs/new',
    invoices: '/app/invoices',
    invoice: `/app/invoices/${invoice.id}`,
    services: '/app/services',
    'new-client': '/app/clients/new',
  }
  for (const [path, width] of await scrollWidths(page, harness, pages))
    assert.ok(width <= 375, `${path} is ${width} px wide`)
  await context.close()
})

test('the dashboard shows the numbers and the chart on a laptop', async () => {
  const { page, context, api } = await business('Sparkle & Shine Cleaning')
  const c = await api('POST', '/api/v1/clients', {
    first_name: 'Maria',
    last_name: 'Gonzalez',
    email: 'maria.g@example.com',
    status: 'active',
  })
  await api('POST', '/api/v1/clients', { first_name: 'Priya', email: 'priya@example.com', status: 'lead' })
  for (let d = 0; d < 6; d++) {
    for (let n = 0; n <= d % 3; n++) {
      await api('POST', '/api/v1/jobs', {
        org_client_id: c.org_client_id,
        start_at: new Date(Date.now() + d * 86_400_000 + n * 3_600_000 + 600_000).toISOString(),
        price_cents: 15_000,
      })
    }
  }
  const { invoice } = await api('POST', '/api/v1/invoices', {
    org_client_id: c.org_client_id,
    total_cents: 15_000,
    due_date: '2020-01-01',
  })
  await api('POST', `/api/v1/invoices/${invoice.id}/payments`, { amount_cents: 5_000 })
  await page.goto(`${harness.url}/app`)
  assert.equal(await page.textContent('[data-testid=business-name]'), 'Sparkle & Shine Cleaning')
  assert.equal(await page.locator('[data-testid=week-chart] rect').count(), 7)
  assert.match(await page.textContent('[data-testid=tile-overdue]'), /\$100/)
  await page.screenshot({ path: 'test-results/dashboard.png', fullPage: true })
  await context.close()
})
