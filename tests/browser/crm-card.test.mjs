// The client's CRM card, in headless Chromium against `wrangler dev`: an owner connects Jobber
// (a small local stand-in for its OAuth and GraphQL API), then on a client's page searches
// Jobber's clients, links one, syncs and unlinks, all in place with htmx, and at 375 px wide.
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:http'
import { after, before, test } from 'node:test'
import { startHarness } from './harness.mjs'
import { scrollWidth, signIn, signUpBusiness } from './steps.mjs'

let harness
let jobber

/** Jobber: the consent page, the token endpoint and the GraphQL queries the card and the connect flow send. */
async function startJobberStub() {
  const requests = []
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1')
    let body = ''
    for await (const chunk of req) body += chunk
    requests.push({ method: req.method, path: url.pathname, body })
    const send = (status, type, text) => {
      res.writeHead(status, { 'content-type': type })
      res.end(text)
    }
    const data = (d) => send(200, 'application/json', JSON.stringify({ data: d }))
    if (url.pathname === '/authorize') {
      const back = new URL(url.searchParams.get('redirect_uri'))
      back.searchParams.set('code', 'stub-code')
      back.searchParams.set('state', url.searchParams.get('state'))
      return send(200, 'text/html', `<!doctype html><title>Jobber</title><a id="allow" href="${back}">Allow access</a>`)
    }
    if (url.pathname === '/token' && req.method === 'POST')
      return send(
        200,
        'application/json',
        JSON.stringify({ access_token: 'stub-access-token', refresh_token: 'stub-refresh-token', expires_in: 3600 }),
      )
    if (url.pathname === '/graphql' && req.method === 'POST') {
      const { query, variables } = JSON.parse(body)
      if (query.includes('searchTerm'))
        return data({
          clients: {
            nodes:
              variables.q === 'Marlow'
                ? [
                    {
                      id: 'Q2xpZW50LzEyMw==',
                      firstName: 'Kit',
                      lastName: 'Marlow',
                      companyName: null,
                      emails: [{ address: 'kit@example.com', primary: true }],
                      phones: [{ number: '415-555-0199', primary: true }],
                    },
                  ]
                : [],
          },
        })
      if (query.includes('account')) return data({ account: { id: 'QWNjb3VudC8x', name: 'Lakeside Window Washing' } })
      if (query.includes('productOrServices')) return data({ productOrServices: { nodes: [] } })
      if (query.includes('users')) return data({ users: { nodes: [] } })
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

test("staff link a client to its Jobber customer from the client's page, sync it and unlink it", async () => {
  const owner = await signUpBusiness(harness, 'Lakeside Windows')
  const { org_client_id: clientId } = await owner.api('POST', '/api/v1/clients', {
    first_name: 'Kit',
    last_name: 'Marlow',
    phone: '(415) 555-0199',
  })
  const { context, page } = await signIn(harness, owner, { width: 375, height: 800 })
  page.on('dialog', (dialog) => dialog.accept())

  await page.goto(`${harness.url}/app/integrations`)
  await page.locator('[data-testid=card-jobber] button', { hasText: 'Connect Jobber' }).click()
  await page.waitForURL(`${jobber.base}/authorize?**`)
  await page.click('#allow')
  await page.waitForURL(/\/app\/integrations\?connected=jobber/)

  await page.goto(`${harness.url}/app/clients/${clientId}`)
  // htmx loads the card in place of its link.
  const card = page.locator('[data-testid=crm-card]')
  await card.locator('[data-testid=crm-jobber]').waitFor()
  assert.match(await card.locator('[data-testid=crm-unlinked]').textContent(), /Not linked to a Jobber customer/)

  await card.locator('summary', { hasText: 'Link to a Jobber customer' }).click()
  assert.equal(await card.locator('[data-testid=crm-search-q]').inputValue(), '+14155550199')
  await card.locator('[data-testid=crm-search-q]').fill('Marlow')
  await card.locator('[data-testid=crm-search]').click()
  await card.locator('[data-testid=crm-hits]').waitFor()
  assert.match(await card.locator('[data-testid=crm-hits]').textContent(), /Kit Marlow[\s\S]*kit@example\.com/)
  assert.equal(page.url(), `${harness.url}/app/clients/${clientId}`)

  await card.locator('[data-testid=crm-link]').click()
  await card.locator('[data-testid=crm-notice]', { hasText: 'Linked to the CRM customer.' }).waitFor()
  assert.equal(await card.locator('[data-testid=crm-external-id]').textContent(), 'Q2xpZW50LzEyMw==')
  assert.equal(await card.locator('[data-testid=crm-linked-by]').textContent(), 'linked by staff')
  assert.match(await card.locator('[data-testid=sync-log]').textContent(), /Linked[\s\S]*linked by staff/)

  await card.locator('[data-testid=crm-sync]').click()
  await card.locator('[data-testid=crm-notice]', { hasText: 'In sync: nothing new to send.' }).waitFor()
  assert.notEqual(await card.locator('[data-testid=crm-last-sync]').textContent(), 'not yet')
  assert.ok((await scrollWidth(page)) <= 375, 'the client page fits 375 px')
  await page.screenshot({ path: 'test-results/crm-card-375.png', fullPage: true })

  await card.locator('[data-testid=crm-unlink]').click()
  await card.locator('[data-testid=crm-notice]', { hasText: 'Unlinked from the CRM customer.' }).waitFor()
  await card.locator('[data-testid=crm-unlinked]').waitFor()
  assert.deepEqual((await owner.api('GET', `/api/v1/clients/${clientId}/crm`)).links, [])

  const search = jobber.requests.find((r) => r.body.includes('searchTerm'))
  assert.equal(JSON.parse(search.body).variables.q, 'Marlow')
  await context.close()
})
