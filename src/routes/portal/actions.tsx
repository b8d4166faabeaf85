/**
 * What a homeowner does in the portal, the same for a link (`/p/{token}/…`) and a signed-in
 * homeowner (`/p/me/{organization}/…`): confirm, ask for another time, rate, pay, preferences.
 */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { Failure } from '../../../durable-objects/org/result'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { signLinkToken } from '../../messaging/portal-token'
import { setConsent } from '../../people/consent'
import { allows, type PortalAccess } from '../../portal/access'
import { portalLink, publicBase, signingKeys } from '../../portal/links'
import { createCheckoutSession, StripeCheckoutError } from '../../portal/stripe-checkout'
import { stripeApiBase } from '../../integrations/stripe-api'
import { zonedTimeToUtc } from '../../time'
import type { FormErrors, FormValues } from '../../../views/fields'
import { PayOfflinePage, ReschedulePage } from '../../../views/portal/actions'
import { checkbox, formBody, formStrings, localDateTime } from '../pages/forms'
import { notFoundPage, sorry } from './shared'
import { portalOf } from '../../portal/remote'
import { cardsOf } from '../../clients/remote'
import { messagingOf } from '../../messaging/remote'

/** Resolves who is asking; a Response when they may not (404, expired link, signed out). */
export type ResolveAccess = (c: Context<AppEnv>) => Promise<PortalAccess | Response>

const rescheduleForm = z.object({
  first: localDateTime,
  second: localDateTime,
  note: z.string().trim().max(500, 'Keep it under 500 characters.').optional(),
})

const preferencesForm = z.object({ sms: checkbox, email: checkbox })

/** How long the rating page opened from the portal stays valid. */
const REVIEW_LINK_DAYS = 60

/** A refused action: someone else's record is not found; a conflict says why, with a way back. */
function refused(c: Context<AppEnv>, access: PortalAccess, error: Failure) {
  if (error.status === 404) return notFoundPage(c)
  return sorry(c, 'That did not work', error.message, access.home)
}

/** The job as the portal shows it, if it is this client's and still open to a new time. */
async function reschedulable(access: PortalAccess, jobId: string) {
  const view = await portalOf(access.org).portalView(access.orgClientId)
  const job = view?.upcoming.find((j) => j.id === jobId && j.can_reschedule)
  return view && job ? { view, job } : null
}

/** The routes, for one way of resolving access. */
export function portalActions(resolve: ResolveAccess) {
  /** Who is asking, and the visit they may ask another time for; a Response when there is none. */
  async function visitToMove(c: Context<AppEnv>) {
    const access = await resolve(c)
    if (access instanceof Response) return access
    const found = allows(access, 'reschedule') ? await reschedulable(access, c.req.param('job')!) : null
    return found ? { access, ...found } : notFoundPage(c)
  }

  /** The two-times form again (422), filled in, with each error beside its field. */
  const askAgain = (
    c: Context<AppEnv>,
    move: Exclude<Awaited<ReturnType<typeof visitToMove>>, Response>,
    values: FormValues,
    errors: FormErrors,
  ) =>
    c.html(
      <ReschedulePage
        job={move.job}
        business={move.view.business}
        target={move.access}
        back={move.access.home}
        values={values}
        errors={errors}
      />,
      422,
    )

  return new Hono<AppEnv>()
    .post('/jobs/:job/confirm', async (c) => {
      const access = await resolve(c)
      if (access instanceof Response) return access
      const jobId = c.req.param('job')
      if (!allows(access, 'confirm', jobId)) return notFoundPage(c)
      const result = await portalOf(access.org).confirmJobFromPortal(access.orgClientId, jobId)
      return result.ok ? c.redirect(`${access.home}?done=confirmed`, 303) : refused(c, access, result.error)
    })
    .get('/jobs/:job/reschedule', async (c) => {
      const access = await resolve(c)
      if (access instanceof Response) return access
      const found = allows(access, 'reschedule') ? await reschedulable(access, c.req.param('job')) : null
      if (!found) return notFoundPage(c)
      return c.html(
        <ReschedulePage
          job={found.job}
          business={found.view.business}
          target={access}
          back={access.home}
          values={{}}
          errors={{}}
        />,
      )
    })
    .post(
      '/jobs/:job/reschedule',
      formBody(rescheduleForm, async (c, values, errors) => {
        const move = await visitToMove(c)
        return move instanceof Response ? move : askAgain(c, move, values, errors)
      }),
      async (c) => {
        const move = await visitToMove(c)
        if (move instanceof Response) return move
        const { access, job } = move
        const form = c.req.valid('form')
        const times = [form.first, form.second].map((t) => zonedTimeToUtc(t.date, t.time, job.time_zone).toISOString())
        const result = await portalOf(access.org).requestReschedule(access.orgClientId, job.id, {
          times,
          note: form.note,
        })
        if (result.ok) return c.redirect(`${access.home}?done=reschedule`, 303)
        if (result.error.status !== 400) return refused(c, access, result.error)
        const names = ['first', 'second']
        return askAgain(
          c,
          move,
          await formStrings(c),
          Object.fromEntries(
            (result.error.issues ?? []).map((i) => [names[Number(i.path.split('.')[1] ?? 1)] ?? 'second', i.message]),
          ),
        )
      },
    )
    .post('/jobs/:job/review', async (c) => {
      const access = await resolve(c)
      if (access instanceof Response) return access
      const keys = signingKeys(c.env)
      if (!keys || !allows(access, 'rate')) return notFoundPage(c)
      const result = await portalOf(access.org).openPortalReview(access.orgClientId, c.req.param('job'))
      if (!result.ok) return refused(c, access, result.error)
      const token = await signLinkToken(
        keys,
        { o: access.organizationId, c: access.orgClientId, p: 'review', r: result.value },
        REVIEW_LINK_DAYS,
      )
      return c.redirect(`/r/${token}`, 303)
    })
    .post('/invoices/:invoice/pay', async (c) => {
      const access = await resolve(c)
      if (access instanceof Response) return access
      const invoiceId = c.req.param('invoice')
      if (!allows(access, 'pay', invoiceId)) return notFoundPage(c)
      const result = await portalOf(access.org).invoiceToPay(access.orgClientId, invoiceId)
      if (!result.ok) return refused(c, access, result.error)
      const { invoice, business, email, stripe_account_id: account } = result.value
      const secretKey = c.env.STRIPE_SECRET_KEY
      const keys = signingKeys(c.env)
      if (!account || !secretKey || !keys)
        return c.html(<PayOfflinePage business={business} invoice={invoice} back={access.home} />)
      const base = publicBase(c.env, c.req.url)
      // Stripe keeps the return URLs: from a link, they name only this invoice, never the whole portal.
      const back = access.token
        ? await portalLink(keys, base, { o: access.organizationId, c: access.orgClientId, p: 'pay', r: invoice.id }, 7)
        : `${base}${access.home}`
      try {
        const session = await createCheckoutSession({
          apiBase: stripeApiBase(c.env),
          secretKey,
          accountId: account,
          organizationId: access.organizationId,
          invoice,
          businessName: business.name,
          customerEmail: email,
          successUrl: `${back}?done=paid`,
          cancelUrl: back,
        })
        return c.redirect(session.url, 303)
      } catch (error) {
        if (!(error instanceof StripeCheckoutError)) throw error
        console.error('portal: checkout refused', access.organizationId, invoice.id, error.message)
        return c.html(
          <PayOfflinePage
            business={business}
            invoice={invoice}
            back={access.home}
            problem="Paying by card is not working right now. Here is how else you can pay."
          />,
          502,
        )
      }
    })
    .post('/preferences', formBody(preferencesForm, notFoundPage), async (c) => {
      const access = await resolve(c)
      if (access instanceof Response) return access
      if (!allows(access, 'preferences')) return notFoundPage(c)
      const form = c.req.valid('form')
      const reason = 'Changed by the homeowner in the portal'
      const target = await cardsOf(access.org).consentTarget(access.personId)
      if (!target) return notFoundPage(c)
      const consent = await setConsent(
        peopleDb(c.env.PEOPLE),
        target,
        access.organizationId,
        { sms_opt_in: form.sms, email_opt_in: form.email },
        reason,
      )
      await messagingOf(access.org).recordConsentChange(access.orgClientId, consent, reason, 'homeowner')
      return c.redirect(`${access.home}?done=preferences`, 303)
    })
}
