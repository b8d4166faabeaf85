// A campaign as an owner sends one, in headless Chromium against `wrangler dev`: the count follows typing, then the confirm step.
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

test('the audience count follows typing, and a campaign goes only from the confirm step, after a test to yourself', async () => {
  const owner = await signUpBusiness(harness, 'Spring Cleaning Co')
  const { api } = owner
  await api('PATCH', '/api/v1/organization', { quiet_hours: { start: '00:00', end: '00:00' } })
  const base = 1000 + Math.floor(Math.random() * 8000)
  // Nineteen clients, five of them tagged vip: the "19 shown, 5 real".
  for (let i = 0; i < 19; i++) {
    await api('POST', '/api/v1/clients', {
      first_name: i < 5 ? `Vip${i}` : `Client${i}`,
      phone: `+1415555${String(base + i).padStart(4, '0')}`,
      tags: i < 5 ? ['vip'] : ['regular'],
    })
  }

  const { context, page } = await signIn(harness, owner)
  await page.goto(`${harness.url}/app/campaigns/new`)
  await page.waitForSelector('[data-testid=preview-will-receive]:text-is("19")')

  // Typing without leaving the field updates the count; a tick made while a count is on its way is not lost.
  await page.click('#f-tags')
  await page.keyboard.type('vip', { delay: 40 })
  await page.waitForSelector('[data-testid=preview-will-receive]:text-is("5")', { timeout: 5_000 })
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-tags')
  await page.check('input[name=status][value=lead]')
  await page.uncheck('input[name=status][value=lead]')
  await page.fill('#f-ltv_max', '0')
  await page.waitForSelector('[data-testid=preview-will-receive]:text-is("5")')
  await page.fill('#f-ltv_max', '')
  await page.keyboard.type('x')
  await page.waitForSelector('[data-testid=campaign-preview]:has-text("Fix the fields marked")')
  await page.fill('#f-ltv_max', '')
  await page.waitForSelector('[data-testid=preview-will-receive]:text-is("5")')

  await page.fill('#f-name', 'VIP spring')
  await page.fill('#f-body', 'Hi {{first_name}}, {{business_name}} has spring openings: {{portal_link}}')
  await page.click('button:has-text("Next: check and send")')
  await page.waitForURL(/\/app\/campaigns\/[0-9a-f-]+\/confirm$/)
  const id = page.url().split('/').at(-2)
  assert.equal(await page.textContent('[data-testid=confirm-count]'), '5')
  assert.match(
    await page.textContent('[data-testid=confirm-body]'),
    /^Hi Vip0, Spring Cleaning Co has spring openings: http\S+\/p\/\S+ Reply STOP to opt out\.$/,
  )
  // Nothing went yet.
  assert.equal((await api('GET', `/api/v1/campaigns/${id}`)).status, 'draft')

  await page.click('button:has-text("Send a test to me")')
  await page.waitForSelector(`[data-testid=test-sent]:has-text("${owner.email}")`)
  const tests = await api('GET', '/api/v1/messages?purpose=campaign_test')
  assert.deepEqual(
    tests.items.map((m) => m.to),
    [owner.email],
  )

  // The confirm step reads on a phone without sideways scrolling.
  await page.setViewportSize({ width: 375, height: 800 })
  await page.reload()
  assert.ok((await scrollWidth(page)) <= 375, 'the confirm step scrolls sideways at 375 px')
  await page.screenshot({ path: 'test-results/campaign-confirm-375.png', fullPage: true })

  await page.click('button:has-text("Send now to 5 clients")')
  await page.waitForURL(new RegExp(`/app/campaigns/${id}$`))
  const campaign = await api('GET', `/api/v1/campaigns/${id}`)
  assert.equal(campaign.total, 5)
  assert.equal(campaign.progress.queued + campaign.progress.sent + campaign.progress.delivered, 5)
  await context.close()
})
