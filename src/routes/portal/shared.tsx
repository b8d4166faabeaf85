/** What the portal's route modules share: the homeowner session, the 404 and expired pages, notices, the caller's IP. */
import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import type { PortalClaims } from '../../messaging/portal-token'
import { orgStub } from '../../organizations'
import { CODE_MINUTES, type CodeCheck } from '../../portal/codes'
import { maskContact } from '../../portal/links'
import { HOME_COOKIE, loadHomeownerSession, type HomeownerSession } from '../../portal/sessions'
import { MessagePage } from '../../../views/portal/layout'
import { ExpiredPage, type VerifyOptions } from '../../../views/portal/verify'
import { portalOf } from '../../portal/remote'

/** What `?done=` says after an action; anything else says nothing. */
const NOTICES: Record<string, string> = {
  confirmed: 'Thank you! Your visit is confirmed.',
  reschedule: 'Thanks! We sent your two times to the business. They will contact you to agree on one.',
  preferences: 'Saved. Your choices apply from the next message.',
  paid: 'Thank you! Your payment is on its way. The invoice shows as paid once it clears.',
  verified: 'You are signed in. Here is every provider that has you as a client.',
  details: 'Saved. Your providers already had these details, so nothing changed.',
  signed_out: 'You are signed out.',
}

/** The notice for this request's `?done=`, if any. */
export const noticeOf = (c: Context<AppEnv>) => NOTICES[c.req.query('done') ?? '']

/** The signed-in homeowner, from the `hb_home` cookie; null when there is none or it expired. */
export async function homeSession(c: Context<AppEnv>): Promise<HomeownerSession | null> {
  const token = getCookie(c, HOME_COOKIE)
  return token ? loadHomeownerSession(peopleDb(c.env.PEOPLE), token) : null
}

/** The caller's address, for rate limits. */
export const clientIp = (c: Context<AppEnv>) => c.req.header('cf-connecting-ip') ?? 'unknown'

/** One answer for a tampered link, a foreign one and another person's record: nothing here. */
export function notFoundPage(c: Context<AppEnv>) {
  return c.html(
    <MessagePage
      title="This link does not work"
      lines={['Check that you opened the whole link, or ask the business to send you a new one.']}
    />,
    404,
  )
}

/** Where codes and fresh links can go for a client: their phone and email on file, masked. */
export function optionsOf(contact: { phone: string | null; email: string | null }): VerifyOptions {
  return {
    sms: contact.phone ? maskContact('sms', contact.phone) : null,
    email: contact.email ? maskContact('email', contact.email) : null,
  }
}

/** A genuine link past its date: the friendly page that offers a fresh one. */
export async function expiredPage(c: Context<AppEnv>, claims: PortalClaims) {
  const org = orgStub(c.env, claims.o)
  const [contact, view] = await Promise.all([portalOf(org).portalContact(claims.c), portalOf(org).portalView(claims.c)])
  if (!contact) return notFoundPage(c)
  return c.html(
    <ExpiredPage base={`/p/${c.req.param('token')}`} business={view?.business ?? null} options={optionsOf(contact)} />,
    410,
  )
}

/** A short page that answers a request the portal cannot do, with the status given. */
export function sorry(
  c: Context<AppEnv>,
  title: string,
  line: string,
  back: string,
  status: 409 | 422 | 429 | 502 | 503 = 409,
) {
  return c.html(
    <MessagePage title={title} lines={[line]}>
      <p>
        <a href={back}>Back</a>
      </p>
    </MessagePage>,
    status,
  )
}

/** Why no code can go by `channel` while its provider is not set up (see codesCanGo). */
export const codesOffText = (channel: 'sms' | 'email') =>
  `Sign-in codes can't be sent: this business's ${channel === 'sms' ? 'texting' : 'email'} isn't set up yet. Please contact the business directly.`

/** What a failed code check tells the homeowner. */
export function codeProblem(check: Extract<CodeCheck, { ok: false }>): string {
  if (check.reason === 'wrong')
    return `That code is not right. You have ${check.triesLeft} ${check.triesLeft === 1 ? 'try' : 'tries'} left.`
  if (check.reason === 'locked')
    return 'Too many wrong tries, so this code is locked. Go back and send yourself a new one.'
  if (check.reason === 'expired')
    return `This code is more than ${CODE_MINUTES} minutes old. Go back and send yourself a new one.`
  return 'There is no code waiting for you. Go back and send one.'
}
