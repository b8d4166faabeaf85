/** Sign-in pages: /login, /signup, /logout and /invite/{token}. */
import { Hono, type Context } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import { authenticate } from '../auth/accounts'
import { acceptInvite, findInvite } from '../auth/invites'
import { createSession, deleteSession, SESSION_COOKIE } from '../auth/sessions'
import { peopleDb } from '../db'
import type { AppEnv } from '../env'
import { AppError, zodIssues } from '../errors'
import { requireCsrfToken, requireSession } from '../http/auth'
import { normalizeEmail } from '../people/normalize'
import { InviteGonePage, InvitePage, LoginPage, SignupPage, type FormErrors } from '../../views/auth'
import { signupAndSetUp, signupSchema } from './signup'

/** Starts a session and sets its cookie: HttpOnly, Secure, SameSite=Lax, expiring with the session. */
async function signIn(c: Context<AppEnv>, accountId: string, organizationId: string) {
  const { token, expiresAt } = await createSession(peopleDb(c.env.PEOPLE), accountId, organizationId)
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, secure: true, sameSite: 'Lax', path: '/', expires: expiresAt })
}

/** Only same-site paths under /app are followed after login, so the link cannot send anyone elsewhere. */
const safeNext = (next: unknown) => (typeof next === 'string' && /^\/app(\/[\w\-/?=&%.]*)?$/.test(next) ? next : '/app')

const formString = (v: unknown) => (typeof v === 'string' ? v : '')

export const authPages = new Hono<AppEnv>()
  .get('/login', (c) => c.html(<LoginPage next={safeNext(c.req.query('next'))} />))
  .post('/login', async (c) => {
    const form = await c.req.parseBody()
    const email = normalizeEmail(formString(form['email'])) ?? formString(form['email'])
    const next = safeNext(form['next'])
    const ip = c.req.header('cf-connecting-ip') ?? 'local'
    try {
      const login = await authenticate(peopleDb(c.env.PEOPLE), email, formString(form['password']), ip)
      if (!login) return c.html(<LoginPage email={email} next={next} error="Wrong email or password." />, 401)
      await signIn(c, login.accountId, login.organizationId)
      return c.redirect(next, 303)
    } catch (error) {
      if (error instanceof AppError && error.status === 429) {
        c.header('Retry-After', String(error.retryAfterSeconds))
        return c.html(<LoginPage email={email} next={next} error="Too many failed attempts. Wait a few minutes and try again." />, 429)
      }
      throw error
    }
  })
  .get('/signup', (c) => c.html(<SignupPage />))
  .post('/signup', async (c) => {
    const form = await c.req.parseBody()
    const values = Object.fromEntries(Object.entries(form).filter(([, v]) => typeof v === 'string' && v !== '')) as Record<string, string>
    const parsed = signupSchema.safeParse(values)
    if (!parsed.success) {
      const errors: FormErrors = Object.fromEntries(zodIssues(parsed.error).map((i) => [i.path, i.message]))
      return c.html(<SignupPage values={values} errors={errors} />, 422)
    }
    try {
      const result = await signupAndSetUp(c.env, parsed.data)
      await signIn(c, result.user_id, result.organization_id)
      return c.redirect('/app', 303)
    } catch (error) {
      if (error instanceof AppError && error.status === 409) return c.html(<SignupPage values={values} error={error.message} />, 409)
      throw error
    }
  })
  .post('/logout', requireSession, requireCsrfToken, async (c) => {
    await deleteSession(peopleDb(c.env.PEOPLE), c.get('session')!.id)
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true })
    return c.redirect('/login', 303)
  })
  .get('/invite/:token', async (c) => {
    const invite = await findInvite(peopleDb(c.env.PEOPLE), c.req.param('token'))
    if (!invite) return c.html(<InviteGonePage />, 404)
    return c.html(<InvitePage token={c.req.param('token')} email={invite.email} organizationName={invite.organizationName} hasAccount={invite.hasAccount} />)
  })
  .post('/invite/:token', async (c) => {
    const token = c.req.param('token')
    const db = peopleDb(c.env.PEOPLE)
    const invite = await findInvite(db, token)
    if (!invite) return c.html(<InviteGonePage />, 404)
    const form = await c.req.parseBody()
    const password = formString(form['password'])
    const page = (error: string, status: 401 | 422) =>
      c.html(<InvitePage token={token} email={invite.email} organizationName={invite.organizationName} hasAccount={invite.hasAccount} error={error} />, status)
    if (!invite.hasAccount && password.length < 10) return page('Choose a password of at least 10 characters.', 422)
    try {
      const joined = await acceptInvite(db, token, password, formString(form['name']) || undefined)
      await signIn(c, joined.accountId, joined.organizationId)
      return c.redirect('/app', 303)
    } catch (error) {
      if (error instanceof AppError && error.status === 401) return page(error.message, 401)
      throw error
    }
  })
