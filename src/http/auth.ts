/** Who is calling: API keys for /api and the seed's routes, session cookies (plus CSRF) for /app pages. */
import type { TeamRole } from '../people/schema'
import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import { resolveApiKey } from '../auth/api-keys'
import { createSession, loadSession, SESSION_COOKIE, type StaffSession } from '../auth/sessions'
import { peopleDb } from '../db'
import type { AppEnv } from '../env'
import { forbidden, unauthorized } from '../errors'
import { orgStub } from '../organizations'

/** Resolves `Authorization: Bearer <key>` (or the `apikey` header the seed's clients send) to its organization. */
export const requireApiKey = createMiddleware<AppEnv>(async (c, next) => {
  const bearer = c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1]
  const key = bearer ?? c.req.header('apikey')
  if (!key) throw unauthorized('Send your API key as "Authorization: Bearer <key>".')
  const organization = await resolveApiKey(peopleDb(c.env.PEOPLE), key)
  if (!organization) throw unauthorized('This API key is unknown or revoked.')
  c.set('organization', organization)
  c.set('org', orgStub(c.env, organization.id))
  c.set('session', null)
  await next()
})

/** Starts a session and sets its cookie: HttpOnly, Secure, SameSite=Lax, expiring with the session. */
export async function signIn(c: Context<AppEnv>, accountId: string, organizationId: string): Promise<void> {
  const { token, expiresAt } = await createSession(peopleDb(c.env.PEOPLE), accountId, organizationId)
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, secure: true, sameSite: 'Lax', path: '/', expires: expiresAt })
}

/** The staff session of the cookie, if any, on pages that also serve visitors. */
export async function currentSession(c: Context<AppEnv>): Promise<StaffSession | null> {
  const token = getCookie(c, SESSION_COOKIE)
  return token ? loadSession(peopleDb(c.env.PEOPLE), token) : null
}

/** Loads the staff session from its cookie; pages redirect to /login without one. */
export const requireSession = createMiddleware<AppEnv>(async (c, next) => {
  const session = await currentSession(c)
  if (!session) {
    const next = c.req.method === 'GET' ? `?next=${encodeURIComponent(c.req.path)}` : ''
    if (c.req.header('hx-request')) {
      c.header('HX-Redirect', `/login${next}`)
      return c.body(null, 401)
    }
    return c.redirect(`/login${next}`, 303)
  }
  c.set('session', session)
  c.set('organization', session.organization)
  c.set('org', orgStub(c.env, session.organization.id))
  await next()
})

/**
 * Every state-changing page request must carry the session's CSRF token, as the `_csrf` form
 * field or the `X-CSRF-Token` header (htmx sends it from the page's meta tag).
 */
export const requireCsrfToken = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
  const session = c.get('session')
  let sent = c.req.header('x-csrf-token')
  if (!sent) {
    const type = c.req.header('content-type') ?? ''
    if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
      const field = (await c.req.parseBody())['_csrf']
      sent = typeof field === 'string' ? field : undefined
    }
  }
  if (!session || !sent || sent !== session.csrfToken)
    throw forbidden('This form has expired. Reload the page and try again.')
  await next()
})

/** Only owners (and admins, when allowed) may do this. */
export const requireRole = (...roles: TeamRole[]) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const role = c.get('session')?.role
    if (!role || !roles.includes(role)) throw forbidden('Your role does not allow this.')
    await next()
  })

/** Owners and admins: those who may change how the business works. */
export const ownerOrAdmin = requireRole('owner', 'admin')
