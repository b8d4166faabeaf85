/** /forgot and /reset/{token}: a staff member who forgot their password gets a single-use link by email. */
import { Hono } from 'hono'
import { z } from 'zod'
import { completePasswordReset, emailResetLink, resetState } from '../../auth/password-resets'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { AppError } from '../../errors'
import { signIn } from '../../http/auth'
import { normalizeEmail } from '../../people/normalize'
import { ForgotPage, ResetGonePage, ResetPage } from '../../../views/password-reset'
import { signupSchema } from '../signup'

/** The new password follows sign-up's rule (10 to 200 characters). */
const newPasswordSchema = z.object({ password: signupSchema.shape.password })

const formString = (v: unknown) => (typeof v === 'string' ? v : '')

export const passwordResetPages = new Hono<AppEnv>()
  .get('/forgot', (c) => c.html(<ForgotPage />))
  .post('/forgot', async (c) => {
    const typed = formString((await c.req.parseBody())['email'])
    const email = normalizeEmail(typed)
    if (!email) return c.html(<ForgotPage email={typed} error="Enter a valid email address." />, 422)
    // Links point at the configured public address, never at whatever Host the request named.
    const baseUrl = c.env.PUBLIC_BASE_URL || new URL(c.req.url).origin
    try {
      await emailResetLink(c.env, email, c.req.header('cf-connecting-ip') ?? 'local', baseUrl)
    } catch (error) {
      if (error instanceof AppError && error.status === 429) {
        c.header('Retry-After', String(error.retryAfterSeconds))
        return c.html(<ForgotPage email={email} error="Too many reset requests. Wait a while and try again." />, 429)
      }
      throw error
    }
    // The same page and status whether or not the email has an account.
    return c.html(<ForgotPage sent />)
  })
  .get('/reset/:token', async (c) => {
    const state = await resetState(peopleDb(c.env.PEOPLE), c.req.param('token'))
    if (state.status !== 'open') return c.html(<ResetGonePage reason={state.status} />, state.status === 'unknown' ? 404 : 410)
    return c.html(<ResetPage token={c.req.param('token')} email={state.email} />)
  })
  .post('/reset/:token', async (c) => {
    const token = c.req.param('token')
    const db = peopleDb(c.env.PEOPLE)
    const state = await resetState(db, token)
    if (state.status !== 'open') return c.html(<ResetGonePage reason={state.status} />, state.status === 'unknown' ? 404 : 410)
    const parsed = newPasswordSchema.safeParse({ password: formString((await c.req.parseBody())['password']) })
    if (!parsed.success) return c.html(<ResetPage token={token} email={state.email} error={`Password ${parsed.error.issues[0]!.message}.`} />, 422)
    const done = await completePasswordReset(db, token, parsed.data.password)
    if (!done) return c.html(<ResetGonePage reason="used" />, 410)
    // Every old session is gone; the person who just proved their email starts a fresh one.
    if (!done.organizationId) return c.redirect('/login', 303)
    await signIn(c, done.accountId, done.organizationId)
    return c.redirect('/app', 303)
  })
