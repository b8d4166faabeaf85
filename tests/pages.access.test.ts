/**
 * Every staff page is behind the one session + CSRF middleware on /app: the test walks the routes
 * the app registers, so a page added later without that protection fails here, not in production.
 */
import { describe, expect, it } from 'vitest'
import { app } from '../src/app'
import { Staff } from './helpers/browserless'
import { createOrg } from './helpers/factories'

/** Every /app route the app registers (one per method and path), with sample ids in its parameters. */
function staffRoutes(method: 'GET' | 'POST') {
  const paths = app.routes
    .filter((r) => r.method === method && (r.path === '/app' || r.path.startsWith('/app/')) && !r.path.includes('*'))
    .map((r) => r.path.replace(/:[a-zA-Z_]+(\{[^}]*\})?/g, '00000000-0000-4000-8000-000000000000'))
  return [...new Set(paths)]
}

describe('/app without a session', () => {
  it('sends every page to the login page, and takes no form', { timeout: 30_000 }, async () => {
    const gets = staffRoutes('GET')
    const posts = staffRoutes('POST')
    expect(gets.length).toBeGreaterThan(40)
    expect(posts.length).toBeGreaterThan(40)
    const stranger = new Staff()
    for (const path of gets) {
      const res = await stranger.get(path)
      expect([path, res.status, res.headers.get('location')?.split('?')[0]]).toEqual([path, 303, '/login'])
    }
    for (const path of posts) {
      const res = await stranger.post(path, { name: 'x' })
      expect([path, res.status, res.headers.get('location')?.split('?')[0]]).toEqual([path, 303, '/login'])
    }
  })
})

describe('/app with a session but without the CSRF token', () => {
  // Two requests for each of the ~100 staff forms: more than the default 5 s on a busy machine.
  it('refuses every form with 403 before it is read', { timeout: 30_000 }, async () => {
    const org = await createOrg()
    const staff = new Staff()
    await staff.post('/login', { email: org.email, password: org.password })
    const posts = staffRoutes('POST')
    for (const path of posts) {
      const res = await staff.post(path, { name: 'x' })
      expect([path, res.status]).toEqual([path, 403])
      // With a token from another session, just the same.
      const forged = await staff.post(path, { name: 'x', _csrf: 'a'.repeat(43) })
      expect([path, forged.status]).toEqual([path, 403])
    }
  })
})
