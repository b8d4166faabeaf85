/**
 * The people who run HomeBase: staff accounts whose emails `PLATFORM_ADMINS` lists
 * (comma-separated). Under /admin everyone else — signed out, or the owner of any business — gets
 * the same 404 as a page that does not exist, so the console's existence is not told.
 */
import { createMiddleware } from 'hono/factory'
import type { AppEnv, Env } from '../env'
import { notFound } from '../errors'
import { currentSession } from './auth'
import { orgStub } from '../organizations'

/** The operators' emails, trimmed and lower-cased. */
export function platformAdmins(env: Pick<Env, 'PLATFORM_ADMINS'>): Set<string> {
  return new Set(
    (env.PLATFORM_ADMINS ?? '')
      .split(',')
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean),
  )
}

export const isOperator = (env: Pick<Env, 'PLATFORM_ADMINS'>, email: string) =>
  platformAdmins(env).has(email.trim().toLowerCase())

/** Loads the session of an operator; anyone else is answered 404. */
export const requireOperator = createMiddleware<AppEnv>(async (c, next) => {
  const session = await currentSession(c)
  if (!session || !isOperator(c.env, session.email)) throw notFound('page')
  c.set('session', session)
  c.set('organization', session.organization)
  c.set('org', orgStub(c.env, session.organization.id))
  await next()
})
