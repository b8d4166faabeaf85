/** `/p/me`: a signed-in homeowner's every provider, their actions per provider, and signing out. */
import { Hono, type Context } from 'hono'
import { deleteCookie } from 'hono/cookie'
import { peopleDb } from '../db'
import type { AppEnv, Env } from '../env'
import { forbidden } from '../errors'
import { consentFor, type Consent } from '../people/consent'
import { orgStub } from '../organizations'
import { sessionAccess, type PortalAccess } from '../portal/access'
import { historyFor } from '../portal/history'
import { deleteHomeownerSession, HOME_COOKIE, homeCookie } from '../portal/sessions'
import { MessagePage } from '../../views/portal/layout'
import { MePage } from '../../views/portal/pages'
import { formStrings } from './pages/forms'
import { portalActions } from './portal-actions'
import { homeSession, noticeOf, notFoundPage } from './portal-shared'

/** A signed-in homeowner's access to the organization in the path; posts must carry the session's CSRF token. */
async function sessionResolver(c: Context<AppEnv>): Promise<PortalAccess | Response> {
  const session = await homeSession(c)
  if (!session) return c.redirect('/p/me', 303)
  if (c.req.method === 'POST' && (await formStrings(c))['_csrf'] !== session.csrfToken) throw forbidden('This form has expired. Go back, reload the page and try again.')
  return (await sessionAccess(c.env, session, c.req.param('org') ?? '')) ?? notFoundPage(c)
}

export const homeownerPages = new Hono<AppEnv>()
  .get('/', async (c) => {
    const session = await homeSession(c)
    if (!session) {
      return c.html(<MessagePage title="See all your home services" lines={[
        ...(noticeOf(c) ? [noticeOf(c)!] : []),
        'Open the link in any text or email from a business that uses HomeBase, then choose “Send me a code”.',
        'Once you enter the code, every provider that has you as a client shows up here.',
      ]} />)
    }
    const db = peopleDb(c.env.PEOPLE)
    const views = await historyFor(c.env, db, session.accountId)
    const providers = await Promise.all(views.map(async (view) => ({ view, consent: await providerConsent(c.env, view.person_id, view.business.organization_id) })))
    return c.html(<MePage providers={providers} csrf={session.csrfToken} notice={noticeOf(c)} />)
  })
  .post('/logout', async (c) => {
    const session = await homeSession(c)
    if (session && (await formStrings(c))['_csrf'] !== session.csrfToken) throw forbidden('This form has expired. Go back, reload the page and try again.')
    if (session) await deleteHomeownerSession(peopleDb(c.env.PEOPLE), session.id)
    deleteCookie(c, HOME_COOKIE, homeCookie())
    return c.redirect('/p/me?done=signed_out', 303)
  })
  .route('/:org', portalActions(sessionResolver))

/** A provider's consent for the homeowner, keyed by the phone and email on that provider's card. */
async function providerConsent(env: Env, personId: string, organizationId: string): Promise<Consent> {
  const target = await orgStub(env, organizationId).consentTarget(personId)
  return consentFor(peopleDb(env.PEOPLE), target ?? { person_id: personId, phone: null, email: null }, organizationId)
}
