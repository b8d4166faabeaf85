// Staff book a visit every two weeks from the booking form and cancel the following visits from one of them, in headless Chromium against `wrangler dev`.
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { after, before, test } from 'node:test'
import { startHarness } from './harness.mjs'
import { signIn, signUpBusiness } from './steps.mjs'

let harness

before(async () => {
  harness = await startHarness()
  mkdirSync('test-results', { recursive: true })
})
after(async () => {
  await harness?.stop()
})

test('staff book a biweekly series and cancel the following visits', async () => {
  const owner = await signUpBusiness(harness, 'Every Other Week Cleaning')
  const client = await owner.api('POST', '/api/v1/clients', { first_name: 'Mae', email: 'mae@example.com' })
  const { page, context } = await signIn(harness, owner)
  page.on('dialog', (dialog) => dialog.accept())

  await page.goto(`${harness.url}/app/jobs/new?client=${client.org_client_id}&date=2031-03-04`)
  await page.fill('#f-start', '2031-03-04T09:00')
  await page.selectOption('#f-repeats', 'every_2_weeks')
  await page.selectOption('#f-ends', 'after')
  await page.fill('#f-ends_count', '6')
  await page.screenshot({ path: 'test-results/series-booking.png', fullPage: true })
  await page.click('text=Book job')
  await page.waitForURL(/\/app\/schedule/)

  const { items: booked } = await owner.api('GET', `/api/v1/jobs?org_client_id=${client.org_client_id}`)
  assert.equal(booked.length, 6)
  const seriesId = booked[0].series_id
  assert.ok(seriesId)
  // 9:00 in Los Angeles every two weeks, across the March clock change (PST then PDT).
  assert.deepEqual(
    booked.map((j) => j.start_at),
    [
      '2031-03-04T17:00:00.000Z',
      '2031-03-18T16:00:00.000Z',
      '2031-04-01T16:00:00.000Z',
      '2031-04-15T16:00:00.000Z',
      '2031-04-29T16:00:00.000Z',
      '2031-05-13T16:00:00.000Z',
    ],
  )

  // The client page says how the visits repeat.
  await page.goto(`${harness.url}/app/clients/${client.org_client_id}`)
  assert.match(await page.textContent('[data-testid=series]'), /Every 2 weeks on Tuesday at 9:00 AM, 6 visits/)

  // From the third visit, cancel it and the ones after it.
  await page.goto(`${harness.url}/app/jobs/${booked[2].id}`)
  assert.match(await page.textContent('[data-testid=job-series]'), /Every 2 weeks/)
  await page.click('[data-testid=cancel-following]')
  await page.waitForSelector('[data-testid=job-status]:has-text("Cancelled")')
  await page.screenshot({ path: 'test-results/series-cancelled.png', fullPage: true })

  const { items: after } = await owner.api('GET', `/api/v1/jobs?series_id=${seriesId}`)
  assert.deepEqual(
    after.map((j) => j.status),
    ['scheduled', 'scheduled', 'cancelled', 'cancelled', 'cancelled', 'cancelled'],
  )
  await context.close()
})
