// The schedule's calendar as staff use it, in headless Chromium against `wrangler dev`: drag and drop, the keyboard, phones.
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

/** Wednesday, April 2, 2031, 10:00 in Los Angeles (the business's zone). */
const WEDNESDAY = '2031-04-02'
const THURSDAY = '2031-04-03'

/** A business in Los Angeles with Dana on the team and Ivy Moss's visit on Wednesday at 10:00, worked by the owner. */
async function business(name, viewport) {
  const owner = await signUpBusiness(harness, name)
  const { api } = owner
  const email = `dana-${Date.now()}@example.com`
  const { invite_url } = await api('POST', '/api/v1/team/invites', { email, role: 'tech', name: 'Dana Lee' })
  const joined = await fetch(`${harness.url}${new URL(invite_url).pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: harness.url },
    body: new URLSearchParams({ password: 'dana password 1' }),
    redirect: 'manual',
  })
  assert.equal(joined.status, 303)
  const { items: team } = await api('GET', '/api/v1/team')
  const dana = team.find((m) => m.email === email).user_id
  const ownerId = team.find((m) => m.role === 'owner').user_id
  const client = await api('POST', '/api/v1/clients', { first_name: 'Ivy', last_name: 'Moss', phone: '(415) 555-0160' })
  const { job } = await api('POST', '/api/v1/jobs', {
    org_client_id: client.org_client_id,
    start_at: '2031-04-02T17:00:00Z',
    end_at: '2031-04-02T18:00:00Z',
    assigned_to: [ownerId],
  })
  const { page, context } = await signIn(harness, owner, viewport)
  return { page, context, api, job, dana, ownerId }
}

/** Where a job is now, by the API. */
const jobOf = async (api, id) => api('GET', `/api/v1/jobs/${id}`)

test('staff drag a job to another day, then to another person’s column, and find it there after a reload', async () => {
  const { page, context, api, job, dana, ownerId } = await business('Drag Cleaning')
  await page.goto(`${harness.url}/app/schedule?week=${WEDNESDAY}`)
  const card = page.locator(`[data-date="${WEDNESDAY}"] [data-job="${job.id}"]`)
  await card.waitFor()
  // Grabbed 5 px below its top and dropped so that its top sits at 1:00 PM on Thursday (6 AM is the grid's top, 0.8 px a minute).
  await card.dragTo(page.locator(`.cal-slots[data-drop-date="${THURSDAY}"]`), {
    sourcePosition: { x: 10, y: 5 },
    targetPosition: { x: 20, y: (13 * 60 - 6 * 60) * 0.8 + 5 },
  })
  await page.locator(`[data-date="${THURSDAY}"] [data-job="${job.id}"]`).waitFor()
  await page.screenshot({ path: 'test-results/schedule-dragged.png', fullPage: true })
  await page.reload()
  const moved = page.locator(`[data-date="${THURSDAY}"] [data-job="${job.id}"]`)
  assert.equal(await moved.getAttribute('data-local'), `${THURSDAY}T13:00`)
  assert.match(await moved.textContent(), /1:00 PM\s*Ivy Moss/)
  assert.equal(await page.locator(`[data-date="${WEDNESDAY}"] [data-job="${job.id}"]`).count(), 0)
  assert.equal((await jobOf(api, job.id)).start_at, '2031-04-03T20:00:00.000Z')

  // The day view (its tab, then the next day): a column per person; dropped in Dana's at 3:00 PM, the visit becomes hers.
  await page.goto(`${harness.url}/app/schedule?week=${WEDNESDAY}`)
  await page.click('[data-testid=tab-day]')
  await page.waitForURL(/view=day&date=2031-04-02$/)
  await page.click('a[rel=next]')
  await page.waitForURL(/view=day&date=2031-04-03$/)
  const mine = page.locator(`[data-person="${ownerId}"] [data-job="${job.id}"]`)
  await mine.waitFor()
  await mine.dragTo(page.locator(`.cal-slots[data-drop-person="${dana}"]`), {
    sourcePosition: { x: 10, y: 5 },
    targetPosition: { x: 20, y: (15 * 60 - 6 * 60) * 0.8 + 5 },
  })
  await page.locator(`[data-person="${dana}"] [data-job="${job.id}"]`).waitFor()
  await page.reload()
  await page.locator(`[data-person="${dana}"] [data-job="${job.id}"]`).waitFor()
  assert.equal(await page.locator(`[data-person="${ownerId}"] [data-job="${job.id}"]`).count(), 0)
  const now = await jobOf(api, job.id)
  assert.deepEqual(now.assigned_to, [dana])
  assert.equal(now.start_at, '2031-04-03T22:00:00.000Z')
  await page.screenshot({ path: 'test-results/schedule-day.png', fullPage: true })

  // Dana's own day: her column only.
  await page.selectOption('#cal-person', dana)
  await page.waitForURL(new RegExp(`person=${dana}`))
  await page.locator(`[data-person="${dana}"] [data-job="${job.id}"]`).waitFor()
  assert.equal(await page.locator('.cal-col').count(), 1)
  await context.close()
})

test('staff move a job with the keyboard: arrows and Enter, or its Move button and form', async () => {
  const { page, context, api, job } = await business('Keys Cleaning')
  await page.goto(`${harness.url}/app/schedule?week=${WEDNESDAY}`)
  const link = page.locator(`[data-job="${job.id}"] .job-link`)
  await link.focus()
  // An hour later (four steps of 15 minutes) and a day later, then Enter.
  for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowRight']) await page.keyboard.press(key)
  assert.match(await page.textContent('#move-status'), /Move Ivy Moss to Thu, Apr 3, 11:00 AM/)
  await page.keyboard.press('Enter')
  await page.locator(`[data-date="${THURSDAY}"] [data-job="${job.id}"].is-new`).waitFor()
  // Focus comes back to the moved job once the swap settles, so the next arrows move it on.
  await page.waitForFunction(
    (local) => document.activeElement?.closest('[data-job]')?.dataset.local === local,
    `${THURSDAY}T11:00`,
  )
  assert.equal((await jobOf(api, job.id)).start_at, '2031-04-03T18:00:00.000Z')

  // Escape puts a job back where it was.
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('Escape')
  assert.equal(await page.locator(`[data-date="${THURSDAY}"] [data-job="${job.id}"]`).count(), 1)

  // The Move button opens a small form; Enter moves the job.
  await page.locator(`[data-job="${job.id}"] .job-link`).focus()
  await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')
  await page.locator('#move-dialog[open]').waitFor()
  await page.fill('#f-start_at', '2031-04-04T08:30')
  await page.keyboard.press('Enter')
  await page.locator(`[data-date="2031-04-04"] [data-job="${job.id}"]`).waitFor()
  assert.equal(await page.locator('#move-dialog[open]').count(), 0)
  await page.reload()
  assert.equal(
    await page.locator(`[data-date="2031-04-04"] [data-job="${job.id}"]`).getAttribute('data-local'),
    '2031-04-04T08:30',
  )
  assert.equal((await jobOf(api, job.id)).start_at, '2031-04-04T15:30:00.000Z')

  // Into the past, the form asks first and keeps what was typed.
  await page.locator(`[data-job="${job.id}"] .job-link`).focus()
  await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')
  await page.fill('#f-start_at', '2020-04-04T08:30')
  await page.keyboard.press('Enter')
  await page.locator('#move-dialog[open] .error').waitFor()
  assert.match(await page.textContent('#move-dialog'), /That time is in the past/)
  assert.equal((await jobOf(api, job.id)).start_at, '2031-04-04T15:30:00.000Z')
  await context.close()
})

test('on a phone the day is an agenda with no sideways scrolling, and so are the week and the month', async () => {
  const { page, context } = await business('Phone Cleaning', { width: 375, height: 800 })
  await page.goto(`${harness.url}/app/schedule?view=day&date=${WEDNESDAY}`)
  assert.ok((await scrollWidth(page)) <= 375, 'day view scrolls sideways')
  assert.equal(await page.isVisible('.cal-scroll'), false)
  const agenda = page.locator('[data-testid=agenda]')
  assert.ok(await agenda.isVisible())
  assert.match(await agenda.textContent(), /10:00 AM – 11:00 AM\s*Ivy Moss\s*Job/)
  assert.ok(await agenda.locator('.crew-dot').isVisible())
  await page.screenshot({ path: 'test-results/schedule-day-375.png', fullPage: true })
  for (const path of [`/app/schedule?week=${WEDNESDAY}`, `/app/schedule?view=month&date=${WEDNESDAY}`]) {
    await page.goto(`${harness.url}${path}`)
    assert.ok((await scrollWidth(page)) <= 375, `${path} scrolls sideways`)
  }
  await page.screenshot({ path: 'test-results/schedule-month-375.png', fullPage: true })
  await context.close()
})
