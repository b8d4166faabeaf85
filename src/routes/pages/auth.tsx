/** Sign-in pages: /login, /signup, /logout, /invite/{token}, and (mounted here) the password reset. */
import { Hono, type Context } from 'hono'
import { deleteCookie } from 'hono/cookie'
import { z } from 'zod'
import { authenticate } from '../../auth/accounts'
import { refreshTeamTechs } from '../../reviews/team-techs'
import { acceptInviteAs, acceptInviteWithNewAccount, acceptIfInvited, findInvite } from '../../auth/invites'
import { deleteSession, SESSION_COOKIE } from '../../auth/sessions'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { AppError, forbidden } from '../../errors'
import { currentSession, requireCsrfToken, requireSession, signIn } from '../../http/auth'
import { normalizeEmail } from '../../people/normalize'
import { InviteGonePage, InvitePage, LoginPage, SignupPage } from '../../../views/auth'
import type { FormValues } from '../../../views/fields'
import { passwordResetPages } from './password-reset'
import { signupAndSetUp, signupSchema } from '../api/signup'
import { formBody, formStrings, intoApi } from './forms'

/** Only same-site paths under /app are followed after login, so the link cannot send anyone elsewhere. */
const safeNext = (next: unknown) => (typeof next === 'string' && /^\/app(\/[\w\-/?=&%.]*)?$/.test(next) ? next : '/app')

/** An invite token as the invite links carry it (base64url), else undefined. */
const inviteToken = (token: unknown) => (typeof token === 'string' && /^[\w-]{16,64}$/.test(token) ? token : undefined)

const loginForm = z.object({
  email: z
    .string()
    .default('')
    .transform((v) => normalizeEmail(v) ?? v),
  password: z.string().default(''),
  next: z.string().optional().transform(safeNext),
  invite: z.string().optional().transform(inviteToken),
})

/** Sign-up as the API takes it; fields left empty are left out. */
const signupForm = intoApi(
  z.record(z.string(), z.unknown()),
  (form) => Object.fromEntries(Object.entries(form).filter(([, v]) => typeof v === 'string' && v !== '')),
  signupSchema,
)

const inviteForm = z.object({
  password: z.string().default(''),
  name: z
    .string()
    .optional()
    .transform((v) => v || undefined),
  _csrf: z.string().optional(),
})

/** A new account chooses a password by sign-up's rule; an existing account's password is never read here. */
async function inviteRules(values: FormValues, c: Context<AppEnv>): Promise<FormValues> {
  const invite = await findInvite(peopleDb(c.env.PEOPLE), c.req.param('token')!)
  if (!invite || invite.hasAccount) return {}
  return signupSchema.shape.password.safeParse(values['password'] ?? '').success
    ? {}
    : { password: 'Choose a password of at least 10 characters.' }
}

const signupPage = (
  c: Context<AppEnv>,
  props: { values?: FormValues; errors?: FormValues; error?: string },
  status: 409 | 422,
) => {
  c.status(status)
  return c.render(<SignupPage {...props} />, { title: 'Sign up' })
}

/** The invite's page again with what went wrong, or the "gone" page for an unknown invite. */
async function invitePage(c: Context<AppEnv>, error: string, status: 409 | 422) {
  const token = c.req.param('token')!
  const invite = await findInvite(peopleDb(c.env.PEOPLE), token)
  if (!invite) return inviteGone(c)
  const session = invite.hasAccount ? await currentSession(c) : null
  c.status(status)
  return c.render(<InvitePage token={token} invite={invite} session={session} error={error} />, {
    title: 'Join your team',
  })
}

const inviteGone = (c: Context<AppEnv>) => {
  c.status(404)
  return c.render(<InviteGonePage />, { title: 'Invite not found' })
}

export const authPages = new Hono<AppEnv>()
  .get('/login', (c) =>
    c.render(<LoginPage next={safeNext(c.req.query('next'))} invite={inviteToken(c.req.query('invite'))} />, {
      title: 'Log in',
    }),
  )
  .post(
    '/login',
    formBody(loginForm, (c) => c.redirect('/login', 303)),
    async (c) => {
      const { email, password, next, invite } = c.req.valid('form')
      const ip = c.req.header('cf-connecting-ip') ?? 'local'
      const db = peopleDb(c.env.PEOPLE)
      const again = (error: string, status: 401 | 429) => {
        c.status(status)
        return c.render(<LoginPage email={email} next={next} invite={invite} error={error} />, { title: 'Log in' })
      }
      try {
        const login = await authenticate(db, email, password, ip)
        // With an invite for this account's email, signing in accepts it and opens the invited business.
        const joined = login && invite ? await acceptIfInvited(db, invite, login) : null
        const organizationId = joined?.organizationId ?? login?.organizationId
        if (!login || !organizationId) return again('Wrong email or password.', 401)
        if (joined) await refreshTeamTechs(c.env, joined.organizationId)
        await signIn(c, login.accountId, organizationId)
        // An invite this login could not accept: its page says why (another email, used, expired).
        return c.redirect(invite && !joined ? `/invite/${invite}` : next, 303)
      } catch (error) {
        if (error instanceof AppError && error.status === 429) {
          c.header('Retry-After', String(error.retryAfterSeconds))
          return again('Too many failed attempts. Wait a few minutes and try again.', 429)
        }
        throw error
      }
    },
  )
  .get('/signup', (c) => c.render(<SignupPage />, { title: 'Sign up' }))
  .post(
    '/signup',
    formBody(signupForm, (c, values, errors) => signupPage(c, { values, errors }, 422)),
    async (c) => {
      try {
        const result = await signupAndSetUp(c.env, c.req.valid('form'))
        await signIn(c, result.user_id, result.organization_id)
        return c.redirect('/app', 303)
      } catch (error) {
        if (error instanceof AppError && error.status === 409)
          return signupPage(c, { values: await formStrings(c), error: error.message }, 409)
        throw error
      }
    },
  )
  .post('/logout', requireSession, requireCsrfToken, async (c) => {
    await deleteSession(peopleDb(c.env.PEOPLE), c.get('session')!.id)
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true })
    return c.redirect('/login', 303)
  })
  .get('/invite/:token', async (c) => {
    const invite = await findInvite(peopleDb(c.env.PEOPLE), c.req.param('token'))
    if (!invite) return inviteGone(c)
    const session = invite.hasAccount ? await currentSession(c) : null
    return c.render(<InvitePage token={c.req.param('token')} invite={invite} session={session} />, {
      title: 'Join your team',
    })
  })
  .post(
    '/invite/:token',
    formBody(inviteForm, (c, _, errors) => invitePage(c, Object.values(errors).find(Boolean) ?? '', 422), {
      rules: inviteRules,
    }),
    async (c) => {
      const token = c.req.param('token')
      const db = peopleDb(c.env.PEOPLE)
      const invite = await findInvite(db, token)
      if (!invite) return inviteGone(c)
      const form = c.req.valid('form')
      try {
        if (invite.hasAccount) {
          // An existing account proves itself by its session (plus CSRF token) or at /login; a password sent here is never checked.
          const session = await currentSession(c)
          if (!session || session.email !== invite.email)
            return invitePage(c, `You already have a HomeBase account: sign in as ${invite.email} to accept.`, 409)
          if (form._csrf !== session.csrfToken) throw forbidden('This form has expired. Reload the page and try again.')
          const joined = await acceptInviteAs(db, token, session)
          await refreshTeamTechs(c.env, joined.organizationId)
          await deleteSession(db, session.id)
          await signIn(c, joined.accountId, joined.organizationId)
          return c.redirect('/app', 303)
        }
        const joined = await acceptInviteWithNewAccount(db, token, form.password, form.name)
        await refreshTeamTechs(c.env, joined.organizationId)
        await signIn(c, joined.accountId, joined.organizationId)
        return c.redirect('/app', 303)
      } catch (error) {
        if (error instanceof AppError && error.status === 409) return invitePage(c, error.message, 409)
        throw error
      }
    },
  )
  .route('/', passwordResetPages)
