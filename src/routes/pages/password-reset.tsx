/** /forgot and /reset/{token}: a staff member who forgot their password gets a single-use link by email. */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { completePasswordReset, emailResetLink, resetState } from '../../auth/password-resets'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { AppError } from '../../errors'
import { signIn } from '../../http/auth'
import { ForgotPage, ResetGonePage, ResetPage } from '../../../views/password-reset'
import { signupSchema } from '../api/signup'
import { formBody, requiredEmail } from './forms'

const FORGOT = { title: 'Reset your password' }

const forgotForm = z.object({ email: requiredEmail('Enter a valid email address.') })

/** The new password follows sign-up's rule (10 to 200 characters). */
const newPasswordForm = z.object({ password: z.string().default('').pipe(signupSchema.shape.password) })

/** A reset link that no longer works: 404 for one we never sent, 410 for a used or expired one. */
function gone(c: Context<AppEnv>, reason: 'used' | 'expired' | 'unknown') {
  c.status(reason === 'unknown' ? 404 : 410)
  return c.render(<ResetGonePage reason={reason} />, { title: 'Reset link no longer works' })
}

/** The new-password form of an open link, with what was wrong; the "gone" page for any other. */
async function resetInvalid(c: Context<AppEnv>, error: string) {
  const token = c.req.param('token')!
  const state = await resetState(peopleDb(c.env.PEOPLE), token)
  if (state.status !== 'open') return gone(c, state.status)
  c.status(422)
  return c.render(<ResetPage token={token} email={state.email} error={error} />, { title: 'Choose a new password' })
}

export const passwordResetPages = new Hono<AppEnv>()
  .get('/forgot', (c) => c.render(<ForgotPage />, FORGOT))
  .post(
    '/forgot',
    formBody(forgotForm, (c, values, errors) => {
      c.status(422)
      return c.render(<ForgotPage email={values['email']} error={errors['email']} />, FORGOT)
    }),
    async (c) => {
      const { email } = c.req.valid('form')
      // Links point at the configured public address, never at whatever Host the request named.
      const baseUrl = c.env.PUBLIC_BASE_URL || new URL(c.req.url).origin
      try {
        await emailResetLink(c.env, email, c.req.header('cf-connecting-ip') ?? 'local', baseUrl)
      } catch (error) {
        if (error instanceof AppError && error.status === 429) {
          c.header('Retry-After', String(error.retryAfterSeconds))
          c.status(429)
          return c.render(
            <ForgotPage email={email} error="Too many reset requests. Wait a while and try again." />,
            FORGOT,
          )
        }
        throw error
      }
      // The same page and status whether or not the email has an account.
      return c.render(<ForgotPage sent />, FORGOT)
    },
  )
  .get('/reset/:token', async (c) => {
    const state = await resetState(peopleDb(c.env.PEOPLE), c.req.param('token'))
    if (state.status !== 'open') return gone(c, state.status)
    return c.render(<ResetPage token={c.req.param('token')} email={state.email} />, { title: 'Choose a new password' })
  })
  .post(
    '/reset/:token',
    formBody(newPasswordForm, (c, _, errors) => resetInvalid(c, `Password ${errors['password']}.`)),
    async (c) => {
      const token = c.req.param('token')
      const db = peopleDb(c.env.PEOPLE)
      const state = await resetState(db, token)
      if (state.status !== 'open') return gone(c, state.status)
      const done = await completePasswordReset(db, token, c.req.valid('form').password)
      if (!done) return gone(c, 'used')
      // Every old session is gone; the person who just proved their email starts a fresh one.
      if (!done.organizationId) return c.redirect('/login', 303)
      await signIn(c, done.accountId, done.organizationId)
      return c.redirect('/app', 303)
    },
  )
