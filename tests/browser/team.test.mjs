// An owner manages the team on Settings › Team: a role and colour changed in place, someone removed, the last owner kept.
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

/** Someone invited by API who joins on the invite page, as a new person does; returns their user id. */
async function teammate(owner, name, role) {
  const email = `${name.toLowerCase()}-${Date.now()}@example.com`
  const { invite_url } = await owner.api('POST', '/api/v1/team/invites', { email, role, name })
  const res = await fetch(`${harness.url}${new URL(invite_url).pathname}`, {
    method: 'POST',
    headers: { origin: harness.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name, password: 'a long enough password' }),
    redirect: 'manual',
  })
  assert.equal(res.status, 303)
  const { items } = await owner.api('GET', '/api/v1/team')
  return items.find((m) => m.email === email).user_id
}

test('an owner changes a role and a colour in place, and removes someone after confirming', async () => {
  const owner = await signUpBusiness(harness, 'Team Cleaning')
  const dana = await teammate(owner, 'Dana', 'member')
  const lee = await teammate(owner, 'Lee', 'tech')
  const { page, context } = await signIn(harness, owner)
  await page.goto(`${harness.url}/app/settings`)
  await page.click('nav[aria-label="Settings sections"] a:has-text("Team")')
  await page.waitForURL(`${harness.url}/app/settings/team`)

  const row = page.locator(`#member-${dana}`)
  await row.locator('select[name=role]').selectOption('tech')
  await row.locator('input[name=color]').evaluate((el) => {
    el.value = '#aa3300'
  })
  await row.locator('button', { hasText: 'Save' }).click()
  await page.waitForSelector(`#member-${dana}[data-role="tech"] .notice:has-text("Saved.")`)
  assert.equal(page.url(), `${harness.url}/app/settings/team`, 'htmx swapped the row; the page stayed')
  const { items } = await owner.api('GET', '/api/v1/team')
  assert.deepEqual(
    items.filter((m) => m.user_id === dana).map((m) => [m.role, m.color]),
    [['tech', '#aa3300']],
  )

  page.once('dialog', (dialog) => dialog.accept())
  await page.locator(`#member-${lee} button`, { hasText: 'Remove' }).click()
  await page.waitForSelector(`#member-${lee}:has-text("was removed from the team")`)
  const after = await owner.api('GET', '/api/v1/team')
  assert.deepEqual(
    after.items.map((m) => m.user_id).sort(),
    [dana, after.items.find((m) => m.role === 'owner').user_id].sort(),
  )
  await page.screenshot({ path: 'test-results/team-1280.png', fullPage: true })
  await context.close()
})

test('the last owner cannot be demoted: the reason shows beside the row; the page fits a phone', async () => {
  const owner = await signUpBusiness(harness, 'Solo Cleaning')
  const { page, context } = await signIn(harness, owner, { width: 375, height: 800 })
  await page.goto(`${harness.url}/app/settings/team`)
  const row = page.locator('[data-testid=team-member][data-role=owner]')
  await row.locator('select[name=role]').selectOption('member')
  await row.locator('button', { hasText: 'Save' }).click()
  await page.waitForSelector('[data-testid=row-error]:has-text("A business needs an owner")')
  assert.ok((await scrollWidth(page)) <= 375, 'the Team page fits a phone')
  await page.screenshot({ path: 'test-results/team-375.png', fullPage: true })
  const { items } = await owner.api('GET', '/api/v1/team')
  assert.deepEqual(
    items.map((m) => m.role),
    ['owner'],
  )
  await context.close()
})
