// Journeys as staff build them, in headless Chromium against `wrangler dev`.
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

test('staff build a two-step journey, complete a job, and see the enrollment and the first text in the outbox', async () => {
  const owner = await signUpBusiness(harness, 'Thank You Cleaning')
  const { api } = owner
  // No quiet hours, so the text goes out whatever the hour of the test run.
  await api('PATCH', '/api/v1/organization', { quiet_hours: { start: '00:00', end: '00:00' } })
  const phone = `+1415555${String(1000 + Math.floor(Math.random() * 8999))}`
  await api('POST', '/api/v1/clients', {
    first_name: 'Ada',
    last_name: 'Lovelace',
    email: `ada-${Date.now()}@example.com`,
  })
  const client = await api('POST', '/api/v1/clients', { first_name: 'Nora', last_name: 'Quinn', phone })
  const { job } = await api('POST', '/api/v1/jobs', {
    org_client_id: client.org_client_id,
    start_at: new Date(Date.now() + 3_600_000).toISOString(),
  })

  const { context, page } = await signIn(harness, owner)

  await page.click('nav.nav-wide >> text=Journeys')
  await page.waitForURL(/\/app\/journeys$/)
  await page.click('text=New journey')
  await page.waitForURL(/\/app\/journeys\/new$/)
  await page.fill('#f-name', 'Thanks after the job')
  await page.selectOption('#f-trigger_event', 'job_completed')
  await page.click('text=Create draft')
  await page.waitForURL(/\/app\/journeys\/[0-9a-f-]+$/)
  const journeyUrl = page.url()

  await page.click('[data-add=sms]')
  await page.waitForSelector('#step-form')
  await page.fill('#f-body', 'Thanks {{first_name}}, from {{business_name}}!')
  await page.selectOption('#f-purpose', 'thank_you')
  await page.waitForSelector('[data-testid=template-preview]:has-text("Thanks Nora, from Thank You Cleaning!")')
  await page.click('button:has-text("Add step")')
  await page.waitForSelector('#steps .notice:has-text("Step added.")')
  await page.click('[data-add=wait]')
  await page.waitForSelector('#step-form #f-amount')
  await page.fill('#f-amount', '1')
  await page.selectOption('#f-unit', 'days')
  await page.click('button:has-text("Add step")')
  await page.waitForSelector('#step-list li:nth-child(2):has-text("Wait 1 day")')
  assert.match(await page.textContent('#step-list li:nth-child(1)'), /Text · Thank you/)
  assert.match(
    await page.textContent('#step-list li:nth-child(1) [data-testid=step-preview]'),
    /Thanks Nora, from Thank You Cleaning!/,
  )
  // Preview with another client, and reorder in place.
  await page.selectOption('#preview-client', { label: 'Ada Lovelace' })
  await page.waitForSelector(
    '#step-list li:nth-child(1) [data-testid=step-preview]:has-text("Thanks Ada, from Thank You Cleaning!")',
  )
  await page.click('#step-list li:nth-child(1) button[aria-label="Move step 1 down"]')
  await page.waitForSelector('#step-list li:nth-child(1):has-text("Wait 1 day")')
  await page.click('#step-list li:nth-child(2) button[aria-label="Move step 2 up"]')
  await page.waitForSelector('#step-list li:nth-child(1):has-text("Text · Thank you")')
  await page.screenshot({ path: 'test-results/journey-builder.png', fullPage: true })

  await page.click('[data-testid=status-button]:has-text("Activate")')
  await page.waitForSelector('[data-testid=journey-status]:has-text("active")')

  await page.goto(`${harness.url}/app/jobs/${job.id}`)
  await page.click('text=Mark complete')
  await page.waitForSelector('[data-testid=job-status]:has-text("Completed")')
  // The clock: what the minute cron would do for this business.
  assert.deepEqual(await api('POST', '/functions/v1/reminder-scheduler', {}), { sent: 1, skipped: 0, deferred: 0 })

  await page.goto(`${journeyUrl}/enrollments`)
  const row = page.locator('[data-testid=enrollments] li').first()
  assert.match(await row.textContent(), /Nora Quinn/)
  assert.equal(await row.locator('[data-testid=enrollment-status]').textContent(), 'Active')
  assert.match(await row.locator('[data-testid=enrollment-position]').textContent(), /^Step 2 of 2 · next /)
  await row.locator('summary').click()
  assert.match(await row.locator('.timeline').textContent(), /Step 1 · Text: queued/)
  await page.screenshot({ path: 'test-results/journey-enrollments.png', fullPage: true })

  // The sends queue delivers within a second or two.
  let delivered = false
  for (let i = 0; i < 40 && !delivered; i++) {
    await page.goto(`${harness.url}/dev/outbox`)
    delivered =
      (await page
        .locator('[data-testid=outbox] li[data-channel=sms]', {
          hasText: 'Thanks Nora, from Thank You Cleaning! Reply STOP to opt out.',
        })
        .count()) === 1
    if (!delivered) await page.waitForTimeout(250)
  }
  assert.ok(delivered, 'the first text reaches the outbox')
  await page.screenshot({ path: 'test-results/journey-outbox.png', fullPage: true })

  await page.setViewportSize({ width: 375, height: 800 })
  const pages = {
    journeys: '/app/journeys',
    builder: new URL(journeyUrl).pathname,
    enrollments: `${new URL(journeyUrl).pathname}/enrollments`,
    'new-journey': '/app/journeys/new',
  }
  for (const [path, width] of await scrollWidths(page, harness, pages))
    assert.ok(width <= 375, `${path} is ${width} px wide`)
  await context.close()
})
