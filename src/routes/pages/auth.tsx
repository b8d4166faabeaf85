/** Sign-in pages: /login, /signup, /logout, /invite/{token}, and (mounted here) the password reset. */
import { Hono } from 'hono'
import { deleteCookie } from 'hono/cookie'
import { authenticate } from '../../auth/accounts'
import { acceptInviteAs, acceptInviteWithNewAccount, acceptIfInvited, findInvite } from '../../auth/invites'
import { deleteSession, SESSION_COOKIE } from '../../auth/sessions'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { AppError, forbidden, zodIssues } from '../../errors'
import { currentSession, requireCsrfToken, requireSession, signIn } from '../../http/auth'
import { normalizeEmail } from '../../people/normalize'
import { InviteGonePage, InvitePage, LoginPage, SignupPage, type FormErrors } from '../../../views/auth'
import { passwordResetPages } from './password-reset'
import { signupAndSetUp, signupSchema } from '../signup'

/** Only same-site paths under /app are followed after login, so the link cannot send anyone elsewhere. */
const safeNext = (next: unknown) => (typeof next === 'string' && /^\/app(\/[\w\-/?=&%.]*)?$/.test(next) ? next : '/app')

/** An invite token as the invite links carry it (base64url), else undefined. */
const inviteToken = (token: unknown) => (typeof token === 'string' && /^[\w-]{16,64}$/.test(token) ? token : undefined)

const formString = (v: unknown) => (typeof v === 'string' ? v : '')

export const authPages = new Hono<AppEnv>()
  .get('/login', (c) => c.html(<LoginPage next={safeNext(c.req.query('next'))} invite={inviteToken(c.req.query('invite'))} />))
  .post('/login', async (c) => {
    const form = await c.req.parseBody()
    const email = normalizeEmail(formString(form['email'])) ?? formString(form['email'])
    const next = safeNext(form['next'])
    const invite = inviteToken(form['invite'])
    const ip = c.req.header('cf-connecting-ip') ?? 'local'
    const db = peopleDb(c.env.PEOPLE)
    try {
      const login = await authenticate(db, email, formString(form['password']), ip)
      // With an invite for this account's email, signing in accepts it and opens the invited business.
      const joined = login && invite ? await acceptIfInvited(db, invite, login) : null
      const organizationId = joined?.organizationId ?? login?.organizationId
      if (!login || !organizationId) return c.html(<LoginPage email={email} next={next} invite={invite} error="Wrong email or password." />, 401)
      await signIn(c, login.accountId, organizationId)
      // An invite this login could not accept: its page says why (another email, used, expired).
      return c.redirect(invite && !joined ? `/invite/${invite}` : next, 303)
    } catch (error) {
      if (error instanceof AppError && error.status === 429) {
        c.header('Retry-After', String(error.retryAfterSeconds))
        return c.html(<LoginPage email={email} next={next} invite={invite} error="Too many failed attempts. Wait a few minutes and try again." />, 429)
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
    const session = invite.hasAccount ? await currentSession(c) : null
    return c.html(<InvitePage token={c.req.param('token')} invite={invite} session={session} />)
  })
  .post('/invite/:token', async (c) => {
    const token = c.req.param('token')
    const db = peopleDb(c.env.PEOPLE)
    const invite = await findInvite(db, token)
    if (!invite) return c.html(<InviteGonePage />, 404)
    const form = await c.req.parseBody()
    const session = invite.hasAccount ? await currentSession(c) : null
    const page = (error: string, status: 409 | 422) => c.html(<InvitePage token={token} invite={invite} session={session} error={error} />, status)
    try {
      if (invite.hasAccount) {
        // An existing account proves itself by its session (plus CSRF token) or at /login; a password sent here is never checked.
        if (!session || session.email !== invite.email) return page(`You already have a HomeBase account: sign in as ${invite.email} to accept.`, 409)
        if (form['_csrf'] !== session.csrfToken) throw forbidden('This form has expired. Reload the page and try again.')
        const joined = await acceptInviteAs(db, token, session)
        await deleteSession(db, session.id)
        await signIn(c, joined.accountId, joined.organizationId)
        return c.redirect('/app', 303)
      }
      const password = formString(form['password'])
      if (password.length < 10) return page('Choose a password of at least 10 characters.', 422)
      const joined = await acceptInviteWithNewAccount(db, token, password, formString(form['name']) || undefined)
      await signIn(c, joined.accountId, joined.organizationId)
      return c.redirect('/app', 303)
    } catch (error) {
      if (error instanceof AppError && error.status === 409) return page(error.message, 409)
      throw error
    }
  })
  .route('/', passwordResetPages)
