/**
 * Identity from a link: a fresh link for an expired one, and the one-time code that proves a phone
 * or email and signs the homeowner in to every provider whose card holds it. Codes and links go
 * only to the contact on the link's business's own card of its client, never to a registry value;
 * nothing here accepts a typed number or address.
 */
import { Hono } from 'hono'
import { setCookie } from 'hono/cookie'
import { z } from 'zod'
import type { Limit } from '../../auth/rate-limit'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { allows, linkAccess } from '../../portal/access'
import { accountForContact, linkVerifiedContact, recordProvenPoint } from '../../portal/accounts'
import { checkCode, codeSendLimits, dropCode, issueCode } from '../../portal/codes'
import { codesCanGo, deliverCode } from '../../portal/deliver-code'
import { minutes, spend } from '../../portal/limits'
import { maskContact, portalLink, publicBase, signingKeys, type PortalPurpose } from '../../portal/links'
import { createHomeownerSession, HOME_COOKIE, homeCookie } from '../../portal/sessions'
import { orgStub } from '../../organizations'
import { MessagePage } from '../../../views/portal/layout'
import { CodePage } from '../../../views/portal/verify'
import { formBody } from '../pages/forms'
import { clientIp, codeProblem, codesOffText, expiredPage, notFoundPage, sorry } from './shared'
import { portalOf } from '../../portal/remote'

/** Fresh links sent: 3 per client an hour, 20 per IP an hour. */
const freshLimits = (organizationId: string, orgClientId: string, ip: string): Limit[] => [
  { key: `portal:fresh:${organizationId}:${orgClientId}`, max: 3, windowSeconds: 3600 },
  { key: `portal:fresh:ip:${ip}`, max: 20, windowSeconds: 3600 },
]

const channelOf = (v: string | undefined): 'sms' | 'email' | null => (v === 'sms' || v === 'email' ? v : null)

/** Where to send a link or a code: one of the contacts on file (anything else: none, and the page says what it can). */
const channelForm = z.object({ channel: z.string().optional().transform(channelOf) })

/** A one-time code as typed, spaces and all. */
const codeForm = z.object({
  code: z
    .string()
    .default('')
    .transform((v) => v.replace(/\s/g, '')),
})

/** Why a requested message did not go, in words for the homeowner. */
function notSent(reason: string, channel: 'sms' | 'email'): string {
  if (reason === 'delivery_failed') return 'Sending did not work just now. Please try again in a minute.'
  if (reason === 'contact_changed')
    return 'Your contact details with this business just changed. Go back and try again.'
  if (reason === 'opted_out')
    return channel === 'sms'
      ? 'You turned off texts from this business, so we cannot text you. Try email instead.'
      : 'You turned off emails from this business, so we cannot email you. Try a text instead.'
  return channel === 'sms'
    ? 'There is no mobile number on file for you. Try email instead.'
    : 'There is no email address on file for you. Try a text instead.'
}

export const identityPages = new Hono<AppEnv>()
  .post('/fresh', formBody(channelForm, notFoundPage), async (c) => {
    const token = c.req.param('token') ?? ''
    const link = await linkAccess(c.env, token)
    const keys = signingKeys(c.env)
    if (link.state === 'invalid' || !keys) return notFoundPage(c)
    const claims =
      link.state === 'ok'
        ? { o: link.access.organizationId, c: link.access.orgClientId, p: link.access.purpose, r: link.access.resource }
        : link.claims
    const { channel } = c.req.valid('form')
    const org = orgStub(c.env, claims.o)
    const contact = await portalOf(org).portalContact(claims.c)
    if (!contact) return notFoundPage(c)
    const to = channel === 'sms' ? contact.phone : channel === 'email' ? contact.email : null
    if (!channel || !to) return link.state === 'expired' ? expiredPage(c, link.claims) : c.redirect(`/p/${token}`, 303)
    const wait = await spend(peopleDb(c.env.PEOPLE), freshLimits(claims.o, claims.c, clientIp(c)))
    if (wait !== null)
      return sorry(
        c,
        'Please wait a little',
        `You asked for several new links. Try again in ${minutes(wait)}.`,
        `/p/${token}`,
        429,
      )
    const business = (await portalOf(org).portalView(claims.c))?.business.name ?? 'Your service provider'
    const url = await portalLink(keys, publicBase(c.env, c.req.url), {
      o: claims.o,
      c: claims.c,
      p: (claims.p ?? 'portal') as PortalPurpose,
      r: claims.r,
    })
    const sent = await org.sendRequestedMessage(claims.c, {
      channel,
      purpose: 'portal_link',
      dedupeKey: `portal_link:${crypto.randomUUID()}`,
      subject: `Your new link from ${business}`,
      body:
        channel === 'sms'
          ? `${business}: here is your new link to see your visits and invoices: ${url}`
          : `Hello,\n\nHere is your new link to see your visits and invoices with ${business}:\n\n${url}\n\nIf you did not ask for it, you can ignore this email.`,
    })
    if ('skipped' in sent) return sorry(c, 'We could not send it', notSent(sent.skipped, channel), `/p/${token}`, 422)
    return c.html(
      <MessagePage
        title="We sent you a new link"
        lines={[`It is on its way to ${maskContact(channel, to)}. It may take a minute to arrive.`]}
      />,
    )
  })
  .post('/verify', formBody(channelForm, notFoundPage), async (c) => {
    const link = await linkAccess(c.env, c.req.param('token') ?? '')
    if (link.state === 'expired') return expiredPage(c, link.claims)
    if (link.state === 'invalid' || !allows(link.access, 'verify') || !c.env.PORTAL_SIGNING_KEY) return notFoundPage(c)
    const access = link.access
    const { channel } = c.req.valid('form')
    const contact = await portalOf(access.org).portalContact(access.orgClientId)
    const to = channel === 'sms' ? contact?.phone : channel === 'email' ? contact?.email : null
    if (!channel || !to) return c.redirect(access.home, 303)
    if (!codesCanGo(c.env, channel))
      return sorry(c, "Sign-in codes can't be sent", codesOffText(channel), access.home, 503)
    const wait = await spend(peopleDb(c.env.PEOPLE), codeSendLimits(access.personId, clientIp(c)))
    if (wait !== null)
      return sorry(
        c,
        'Please wait a little',
        `You asked for several codes. Try again in ${minutes(wait)}.`,
        access.home,
        429,
      )
    const db = peopleDb(c.env.PEOPLE)
    const { id, code } = await issueCode(db, c.env.PORTAL_SIGNING_KEY, {
      personId: access.personId,
      channel,
      destination: to,
    })
    const sent = await deliverCode(c.env, access.org, access.orgClientId, channel, code, id, to)
    if ('skipped' in sent) {
      await dropCode(db, id)
      if (sent.skipped === 'no_provider')
        return sorry(c, "Sign-in codes can't be sent", codesOffText(channel), access.home, 503)
      return sorry(c, 'We could not send your code', notSent(sent.skipped, channel), access.home, 422)
    }
    return c.redirect(`${access.base}/verify?via=${channel}`, 303)
  })
  .get('/verify', async (c) => {
    const link = await linkAccess(c.env, c.req.param('token') ?? '')
    if (link.state === 'expired') return expiredPage(c, link.claims)
    if (link.state === 'invalid' || !allows(link.access, 'verify')) return notFoundPage(c)
    const contact = await portalOf(link.access.org).portalContact(link.access.orgClientId)
    const channel = channelOf(c.req.query('via')) ?? 'sms'
    const to = channel === 'sms' ? contact?.phone : contact?.email
    return c.html(<CodePage base={link.access.base} via={to ? `to ${maskContact(channel, to)}` : ''} />)
  })
  .post('/verify/code', formBody(codeForm, notFoundPage), async (c) => {
    const link = await linkAccess(c.env, c.req.param('token') ?? '')
    if (link.state === 'expired') return expiredPage(c, link.claims)
    if (link.state === 'invalid' || !allows(link.access, 'verify') || !c.env.PORTAL_SIGNING_KEY) return notFoundPage(c)
    const access = link.access
    const db = peopleDb(c.env.PEOPLE)
    const typed = c.req.valid('form').code
    const check = await checkCode(db, c.env.PORTAL_SIGNING_KEY, access.personId, typed)
    if (!check.ok) return c.html(<CodePage base={access.base} via="" error={codeProblem(check)} />, 422)
    const accountId = await accountForContact(db, check.channel, check.destination)
    await linkVerifiedContact(db, accountId, check.channel, check.destination, access.personId)
    await recordProvenPoint(db, accountId, check.channel, check.destination)
    const session = await createHomeownerSession(db, accountId)
    setCookie(c, HOME_COOKIE, session.token, homeCookie(session.expiresAt))
    return c.redirect('/p/me?done=verified', 303)
  })
