// Steps the browser tests share: a business signed up through the API, its API, signing up and in as a person does.
import assert from 'node:assert/strict'

/** The password every test owner signs up with. */
export const PASSWORD = 'a long enough password'

let seq = 0

/** Signs a business up through the API; returns its owner's email and password, its API key and `api` to call it. */
export async function signUpBusiness(harness, name, { timezone = 'America/Los_Angeles' } = {}) {
  const email = `owner-${Date.now()}-${seq++}@example.com`
  const res = await fetch(`${harness.url}/api/v1/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD, organization_name: name, timezone }),
  })
  assert.equal(res.status, 201)
  const { api_key: key } = await res.json()
  return { email, password: PASSWORD, key, api: apiWithKey(harness, key) }
}

/** `api(method, path, body)`: calls the JSON API with `key`, asserts the response is ok and returns its body. */
export function apiWithKey(harness, key) {
  return async (method, path, body) => {
    const r = await fetch(`${harness.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    })
    const text = await r.text()
    assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`)
    return JSON.parse(text)
  }
}

/** Fills the sign-up page (the name only if given) and submits it, waiting for the home page. */
export async function signUpOnPage(page, harness, { organization, name, email, password = PASSWORD }) {
  await page.goto(`${harness.url}/signup`)
  await page.fill('#f-organization_name', organization)
  if (name !== undefined) await page.fill('#f-name', name)
  await page.fill('#f-email', email)
  await page.fill('#f-password', password)
  await page.click('button[type=submit]')
  await page.waitForURL(`${harness.url}/app`)
}

/** Fills the login form the page shows and submits it, waiting for the home page. */
export async function submitLogin(page, harness, { email, password = PASSWORD }) {
  await page.fill('#f-email', email)
  await page.fill('#f-password', password)
  await page.click('button[type=submit]')
  await page.waitForURL(`${harness.url}/app`)
}

/** Signs `owner` in on the login page in a fresh browser context; returns the context and its page, on the home page. */
export async function signIn(harness, owner, viewport = { width: 1280, height: 900 }) {
  const context = await harness.browser.newContext({ viewport })
  const page = await context.newPage()
  await page.goto(`${harness.url}/login`)
  await submitLogin(page, harness, owner)
  return { context, page }
}

/** How wide the page's content is, in CSS pixels; wider than the viewport means sideways scrolling. */
export function scrollWidth(page) {
  return page.evaluate(() => document.documentElement.scrollWidth)
}

/** Opens each of `pages` ({name: path}) and screenshots it as `test-results/{name}-{viewport width}.png`; returns [path, scroll width] pairs. */
export async function scrollWidths(page, harness, pages) {
  const widths = []
  for (const [name, path] of Object.entries(pages)) {
    await page.goto(`${harness.url}${path}`)
    const width = await scrollWidth(page)
    await page.screenshot({ path: `test-results/${name}-${page.viewportSize().width}.png`, fullPage: true })
    widths.push([path, width])
  }
  return widths
}
