// Connecting Jobber from the Integrations page, in headless Chromium against `wrangler dev`, with a
// small local stand-in for Jobber's OAuth consent page, token endpoint and GraphQL API.
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:http'
import { after, before, test } from 'node:test'
import { startHarness } from './harness.mjs'
import { signIn, signUpBusiness } from './steps.mjs'

let harness
let jobber

/** A stub of Jobber: an "Allow" page that sends the browser back with a code, the token endpoint and GraphQL. */
async function startJobberStub() {
  const requests = []
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1')
    let body = ''
    for await (const chunk of req) body += chunk
    requests.push({ method: req.method, path: url.pathname, body, headers: req.headers })
    const send = (status, type, text) => {
      res.writeHead(status, { 'content-type': type })
      res.end(text)
    }
    if (url.pathname === '/authorize') {
      const back = new URL(url.searchParams.get('redirect_uri'))
      back.searchParams.set('code', 'stub-code')
      back.searchParams.set('state', url.searchParams.get('state'))
      return send(
        200,
        'text/html',
        `<!doctype html><title>Jobber</title><h1>Allow HomeBase to access your Jobber account?</h1><a id="allow" href="${back}">Allow access</a>`,
      )
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      const form = new URLSearchParams(body)
      if (form.get('code') !== 'stub-code' || form.get('client_secret') !== 'browser-jobber-secret')
        return send(400, 'application/json', '{"error":"invalid_grant"}')
      return send(
        200,
        'application/json',
        JSON.stringify({ access_token: 'stub-access-token', refresh_token: 'stub-refresh-token', expires_in: 3600 }),
      )
    }
    if (url.pathname === '/graphql' && req.method === 'POST') {
      if (req.headers.authorization !== 'Bearer stub-access-token')
        return send(401, 'application/json', '{"message":"unauthorized"}')
      const { query } = JSON.parse(body)
      if (query.includes('account'))
        return send(
          200,
          'application/json',
          JSON.stringify({ data: { account: { id: 'QWNjb3VudC8x', name: 'Lakeside Window Washing' } } }),
        )
      if (query.includes('productOrServices'))
        return send(
          200,
          'application/json',
          JSON.stringify({
            data: {
              productOrServices: {
                nodes: [
                  { id: 'p1', name: 'Window cleaning' },
                  { id: 'p2', name: 'Gutter cleaning' },
                ],
              },
            },
          }),
        )
      if (query.includes('users'))
        return send(
          200,
          'application/json',
          JSON.stringify({ data: { users: { nodes: [{ id: 'u1', name: { full: 'Robin Squeegee' } }] } } }),
        )
    }
    send(404, 'text/plain', 'not found')
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${server.address().port}`
  return { base, requests, stop: () => new Promise((resolve) => server.close(resolve)) }
}

before(async () => {
  jobber = await startJobberStub()
  harness = await startHarness({
    vars: {
      JOBBER_CLIENT_ID: 'browser-jobber-client',
      JOBBER_CLIENT_SECRET: 'browser-jobber-secret',
      ENCRYPTION_KEY: 'browser-test-encryption-key',
      INTEGRATION_ENDPOINTS: JSON.stringify({
        jobber: {
          authorize: `${jobber.base}/authorize`,
          token: `${jobber.base}/token`,
          graphql: `${jobber.base}/graphql`,
        },
      }),
    },
  })
  mkdirSync('test-results', { recursive: true })
})
after(async () => {
  await harness?.stop()
  await jobber?.stop()
})

test('an owner connects Jobber and its card turns connected with the account name', async () => {
  const owner = await signUpBusiness(harness, 'Lakeside Windows', { timezone: 'America/Chicago' })
  const { context, page } = await signIn(harness, owner)

  await page.click('nav.nav-wide >> text=Integrations')
  await page.waitForURL(/\/app\/integrations$/)
  const card = page.locator('[data-testid=card-jobber]')
  assert.equal(await card.locator('[data-testid=status]').textContent(), 'not connected')

  await card.locator('button', { hasText: 'Connect Jobber' }).click()
  await page.waitForURL(`${jobber.base}/authorize?**`)
  const authorize = new URL(page.url())
  assert.equal(authorize.searchParams.get('client_id'), 'browser-jobber-client')
  assert.equal(authorize.searchParams.get('redirect_uri'), `${harness.url}/app/integrations/oauth/callback`)
  await page.click('#allow')

  await page.waitForURL(/\/app\/integrations\?connected=jobber/)
  assert.match(await page.textContent('[data-testid=notice]'), /Jobber is connected/)
  assert.equal(await card.locator('[data-testid=status]').textContent(), 'connected')
  assert.equal(await card.locator('[data-testid=account]').textContent(), 'Lakeside Window Washing')
  assert.match(
    await card.locator('[data-testid=webhook-url]').textContent(),
    new RegExp(`^${harness.url}/webhooks/jobber/[0-9a-f-]{36}$`),
  )
  // The card opens its scheduling settings from Jobber (products and services, the team).
  await card.locator('[data-testid=scheduling-config]').waitFor()
  assert.match(
    await card.locator('[data-testid=scheduling-config]').textContent(),
    /Window cleaning[\s\S]*Robin Squeegee/,
  )
  assert.match(
    await card.locator('[data-testid=sync-log]').textContent(),
    /Connected[\s\S]*connected to Lakeside Window Washing/,
  )
  await page.screenshot({ path: 'test-results/integrations-connected.png', fullPage: true })

  const exchange = jobber.requests.find((r) => r.path === '/token')
  assert.equal(new URLSearchParams(exchange.body).get('grant_type'), 'authorization_code')
  assert.equal(new URLSearchParams(exchange.body).get('redirect_uri'), `${harness.url}/app/integrations/oauth/callback`)
  await context.close()
})
