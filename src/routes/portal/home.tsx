/**
 * `/p/me`: a signed-in homeowner's every provider (those whose card holds a phone or email the
 * homeowner proved), their actions per provider, sending new details to the providers they pick,
 * and signing out.
 */
import { Hono, type Context } from 'hono'
import { deleteCookie } from 'hono/cookie'
import { z } from 'zod'
import type { HomeownerChange } from '../../../durable-objects/org/portal/details'
import type { PortalView } from '../../../durable-objects/org/portal/view'
import { peopleDb, type PeopleDb } from '../../db'
import type { AppEnv, Env } from '../../env'
import { forbidden } from '../../errors'
import { consentFor, type Consent } from '../../people/consent'
import { normalizePhone } from '../../people/normalize'
import { orgStub } from '../../organizations'
import { sessionAccess, type PortalAccess } from '../../portal/access'
import { provePoints, sendChange, sendPointCodes, unprovenPoints, type NewPoint } from '../../portal/details'
import { historyFor, visibleClients } from '../../portal/history'
import { minutes } from '../../portal/limits'
import { deleteHomeownerSession, HOME_COOKIE, homeCookie, type HomeownerSession } from '../../portal/sessions'
import type { FormErrors, FormValues } from '../../../views/fields'
import { phone as displayPhone } from '../../../views/format'
import { DetailsCodePage, providerField } from '../../../views/portal/details'
import { MessagePage } from '../../../views/portal/layout'
import { MePage } from '../../../views/portal/pages'
import { addressRule, formBody, formStrings, optionalEmail, optionalText, PHONE_HELP } from '../pages/forms'
import { portalActions } from './actions'
import { clientIp, codeProblem, codesOffText, homeSession, noticeOf, notFoundPage, sorry } from './shared'
import { cardsOf } from '../../clients/remote'

/** A signed-in homeowner's access to the organization in the path; posts must carry the session's CSRF token. */
async function sessionResolver(c: Context<AppEnv>): Promise<PortalAccess | Response> {
  const session = await homeSession(c)
  if (!session) return c.redirect('/p/me', 303)
  await requireCsrf(c, session)
  return (await sessionAccess(c.env, session, c.req.param('org') ?? '')) ?? notFoundPage(c)
}

async function requireCsrf(c: Context<AppEnv>, session: HomeownerSession) {
  if (c.req.method === 'POST' && (await formStrings(c))['_csrf'] !== session.csrfToken)
    throw forbidden('This form has expired. Go back, reload the page and try again.')
}

/** "Your details" as typed; only what is filled in changes (detailsForm). */
const detailsFields = z.object({
  first_name: optionalText(100),
  last_name: optionalText(100),
  phone: z
    .string()
    .trim()
    .max(40, PHONE_HELP)
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined
      const e164 = normalizePhone(v, 'US')
      if (e164 === null) {
        ctx.addIssue({ code: 'custom', message: PHONE_HELP })
        return z.NEVER
      }
      return e164
    }),
  email: optionalEmail,
  address1: optionalText(200),
  address2: optionalText(200),
  city: optionalText(100),
  state: optionalText(50),
  postal: optionalText(20),
})

/** The change the form asks for, without the fields left empty. */
function changeOf(form: z.output<typeof detailsFields>): HomeownerChange {
  const { address1, address2, city, state, postal, ...contact } = form
  const change: HomeownerChange = Object.fromEntries(Object.entries(contact).filter(([, v]) => v !== undefined))
  if (address1 && city && state && postal)
    change.address = { address1, ...(address2 ? { address2 } : {}), city, state, postal }
  return change
}

/** "Your details", read into the change to send; something must have changed. */
const detailsForm = detailsFields.transform(changeOf).refine((change) => Object.keys(change).length > 0, {
  message: 'Fill in what changed: your name, phone, email or address.',
  path: ['form'],
})

/** The providers the details form ticked, among those the account may see (only those can be chosen). */
async function tickedProviders(c: Context<AppEnv>, accountId: string) {
  const values = await formStrings(c)
  const visible = await visibleClients(c.env, peopleDb(c.env.PEOPLE), accountId)
  return visible.filter((v) => values[providerField(v.organizationId)] === 'on')
}

/** An address all there or not at all, and at least one provider ticked. */
async function detailsRules(values: FormValues, c: Context<AppEnv>): Promise<FormErrors> {
  const session = await homeSession(c)
  const none = session !== null && (await tickedProviders(c, session.accountId)).length === 0
  return {
    ...addressRule(values),
    ...(none ? { providers: 'Tick at least one provider to send your details to.' } : {}),
  }
}

/** The signed-in homeowner of a post, its CSRF token checked; null when signed out. */
async function poster(c: Context<AppEnv>): Promise<HomeownerSession | null> {
  const session = await homeSession(c)
  if (session) await requireCsrf(c, session)
  return session
}

/** The providers page again with the details form filled in and each error beside its field (422). */
async function detailsInvalid(c: Context<AppEnv>, values: FormValues, errors: FormErrors) {
  const session = await poster(c)
  if (!session) return c.redirect('/p/me', 303)
  const ticked = (await tickedProviders(c, session.accountId)).map((v) => v.organizationId)
  const providers = await providersOf(c.env, peopleDb(c.env.PEOPLE), session.accountId)
  return c.html(<MePage providers={providers} csrf={session.csrfToken} details={{ values, errors, ticked }} />, 422)
}

type Provider = { view: PortalView & { person_id: string }; consent: Consent }

/** Every provider the account may see, with its consent for the homeowner. */
async function providersOf(env: Env, db: PeopleDb, accountId: string): Promise<Provider[]> {
  const views = await historyFor(env, db, accountId)
  return Promise.all(
    views.map(async (view) => ({
      view,
      consent: await providerConsent(env, view.person_id, view.business.organization_id),
    })),
  )
}

/** "Saved. Your new details went to A and B." after a change, naming only providers the homeowner sees. */
function meNotice(c: Context<AppEnv>, providers: Provider[]): string | undefined {
  const sent = new Set((c.req.query('sent') ?? '').split(','))
  const names = providers.filter((p) => sent.has(p.view.business.organization_id)).map((p) => p.view.business.name)
  if (c.req.query('done') !== 'details' || names.length === 0) return noticeOf(c)
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
  return `Saved. Your new details went to ${list}.`
}

/** The code boxes of the points still to prove, each with the problem of its last check. */
const codeBoxes = (points: NewPoint[], problems: Partial<Record<'sms' | 'email', string>> = {}) =>
  points.map((p) => ({
    channel: p.channel,
    masked: p.channel === 'sms' ? displayPhone(p.point) : p.point,
    error: problems[p.channel],
  }))

export const homeownerPages = new Hono<AppEnv>()
  .get('/', async (c) => {
    const session = await homeSession(c)
    if (!session) {
      return c.html(
        <MessagePage
          title="See all your home services"
          lines={[
            ...(noticeOf(c) ? [noticeOf(c)!] : []),
            'Open the link in any text or email from a business that uses HomeBase, then choose “Send me a code”.',
            'Once you enter the code, every provider that has you as a client shows up here.',
          ]}
        />,
      )
    }
    const providers = await providersOf(c.env, peopleDb(c.env.PEOPLE), session.accountId)
    return c.html(<MePage providers={providers} csrf={session.csrfToken} notice={meNotice(c, providers)} />)
  })
  .post('/details', formBody(detailsForm, detailsInvalid, { rules: detailsRules }), async (c) => {
    const session = await poster(c)
    if (!session) return c.redirect('/p/me', 303)
    const db = peopleDb(c.env.PEOPLE)
    const values: FormValues = await formStrings(c)
    const chosen = await tickedProviders(c, session.accountId)
    const change = c.req.valid('form')
    const unproven = await unprovenPoints(db, session.accountId, change)
    if (unproven.length > 0 && values['step'] !== 'code') {
      const sent = await sendPointCodes(c.env, db, session.accountId, unproven, chosen[0]!.organizationId, clientIp(c))
      if ('wait' in sent)
        return sorry(
          c,
          'Please wait a little',
          `You asked for several codes. Try again in ${minutes(sent.wait)}.`,
          '/p/me',
          429,
        )
      if ('failed' in sent && sent.channel)
        return sorry(c, "Codes can't be sent", codesOffText(sent.channel), '/p/me', 503)
      if ('failed' in sent)
        return sorry(
          c,
          'We could not send your code',
          'Sending did not work just now. Please try again in a minute.',
          '/p/me',
          422,
        )
      return c.html(<DetailsCodePage csrf={session.csrfToken} values={values} points={codeBoxes(unproven)} />)
    }
    if (unproven.length > 0) {
      const failed = await provePoints(c.env, db, session.accountId, unproven, {
        sms: values['code_sms'],
        email: values['code_email'],
      })
      const left = unproven.filter((p) => failed[p.channel])
      if (left.length > 0) {
        const problems = Object.fromEntries(left.map((p) => [p.channel, codeProblem(failed[p.channel]!)]))
        return c.html(
          <DetailsCodePage csrf={session.csrfToken} values={values} points={codeBoxes(left, problems)} />,
          422,
        )
      }
    }
    const applied = await sendChange(c.env, db, session.accountId, change, chosen)
    const changed = applied.filter((a) => a.changed.length > 0).map((a) => a.organization_id)
    return c.redirect(`/p/me?done=details${changed.length > 0 ? `&sent=${changed.join(',')}` : ''}`, 303)
  })
  .post('/logout', async (c) => {
    const session = await homeSession(c)
    if (session && (await formStrings(c))['_csrf'] !== session.csrfToken)
      throw forbidden('This form has expired. Go back, reload the page and try again.')
    if (session) await deleteHomeownerSession(peopleDb(c.env.PEOPLE), session.id)
    deleteCookie(c, HOME_COOKIE, homeCookie())
    return c.redirect('/p/me?done=signed_out', 303)
  })
  .route('/:org', portalActions(sessionResolver))

/** A provider's consent for the homeowner, keyed by the phone and email on that provider's card. */
async function providerConsent(env: Env, personId: string, organizationId: string): Promise<Consent> {
  const target = await cardsOf(orgStub(env, organizationId)).consentTarget(personId)
  return consentFor(peopleDb(env.PEOPLE), target ?? { person_id: personId, phone: null, email: null }, organizationId)
}
