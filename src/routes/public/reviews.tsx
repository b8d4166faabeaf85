/**
 * The public review funnel: `/r/{token}` (the rating page, its private form and the public review
 * link) and `/q/{code}` (a tech's QR code). No session: the signed link is the permission.
 */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { verifyLinkToken } from '../../messaging/portal-token'
import { orgStub } from '../../organizations'
import { ratingPath } from '../../reviews/links'
import { canonicalQrCode, qrCodeOrganization } from '../../reviews/qr-codes'
import { LinkExpiredPage, RatingLimitPage, RatingPage } from '../../../views/reviews/rating'
import type { FormErrors, FormValues } from '../../../views/fields'
import { checkbox, formBody, optionalEmail, optionalText } from '../pages/forms'
import { reviews } from '../../reviews/remote'

/** How long the link a QR scan opens stays valid. */
const QR_LINK_DAYS = 7

const ratingForm = z.object({ rating: z.enum(['1', '2', '3', '4', '5']).transform(Number) })

const feedbackForm = z
  .object({
    feedback: z.string().trim().max(2000, 'Keep it under 2,000 characters.').default(''),
    callback: checkbox,
    name: optionalText(100),
    email: optionalEmail,
    phone: optionalText(40),
  })
  .refine((v) => v.feedback !== '' || v.callback, {
    message: 'Write what went wrong, or ask for a call back.',
    path: ['feedback'],
  })

const EXPIRED = 'Ask the business to send you a new one.'

/** The request and client a valid review link names, and their organization's object; null for a bad or expired link. */
async function linkOf(c: Context<AppEnv>) {
  // The whole key ring verifies, so links signed before a key rotation keep working.
  const claims = c.env.PORTAL_SIGNING_KEY ? await verifyLinkToken(c.env, c.req.param('token') ?? '', 'review') : null
  if (!claims?.r) return null
  return { requestId: claims.r, orgClientId: claims.c, org: orgStub(c.env, claims.o), token: c.req.param('token')! }
}

const expired = (c: Context<AppEnv>, text = EXPIRED) => c.html(<LinkExpiredPage text={text} />, 404)

/** The rating page again (400) with what was wrong with a form: the rating, or the private feedback beside its fields. */
async function formAgain(
  c: Context<AppEnv>,
  problem: { ratingError?: string; feedback?: { values: FormValues; errors: FormErrors } },
) {
  const link = await linkOf(c)
  const view = link ? await reviews(link.org).openRatingPage(link.requestId, link.orgClientId) : null
  if (!link || !view) return expired(c)
  return c.html(<RatingPage view={view} token={link.token} {...problem} />, 400)
}

export const reviewFunnel = new Hono<AppEnv>()
  .use('*', async (c, next) => {
    await next()
    // The token is the permission: keep it out of caches, search engines and the Referer sent to Google.
    c.header('Cache-Control', 'no-store')
    c.header('Referrer-Policy', 'no-referrer')
    c.header('X-Robots-Tag', 'noindex')
  })
  .get('/:token', async (c) => {
    const link = await linkOf(c)
    const view = link ? await reviews(link.org).openRatingPage(link.requestId, link.orgClientId) : null
    if (!link || !view) return expired(c)
    return c.html(<RatingPage view={view} token={link.token} />)
  })
  .post(
    '/:token',
    formBody(ratingForm, (c) => formAgain(c, { ratingError: 'Choose a rating from 1 to 5 stars.' })),
    async (c) => {
      const link = await linkOf(c)
      if (!link) return expired(c)
      const rated = await reviews(link.org).rateReview(
        link.requestId,
        link.orgClientId,
        c.req.valid('form').rating,
        c.req.header('cf-connecting-ip') ?? 'unknown',
      )
      if (!rated) return expired(c)
      if (rated.retry_after !== null) {
        c.header('Retry-After', String(rated.retry_after))
        return c.html(<RatingLimitPage view={rated.view} token={link.token} />, 429)
      }
      return c.html(<RatingPage view={rated.view} token={link.token} justRated />)
    },
  )
  .post(
    '/:token/feedback',
    formBody(feedbackForm, (c, values, errors) => formAgain(c, { feedback: { values, errors } })),
    async (c) => {
      const link = await linkOf(c)
      if (!link) return expired(c)
      const f = c.req.valid('form')
      const result = await reviews(link.org).submitFeedback(link.requestId, link.orgClientId, {
        feedback: f.feedback,
        callback_requested: f.callback,
        customer_name: f.name,
        customer_email: f.email,
        customer_phone: f.phone,
      })
      if (result.ok && result.value) return c.html(<RatingPage view={result.value} token={link.token} />)
      // Not rated yet (a form posted out of order): show the page to rate first.
      const view = await reviews(link.org).openRatingPage(link.requestId, link.orgClientId)
      if (!view) return expired(c)
      return c.html(<RatingPage view={view} token={link.token} ratingError="Choose a rating first." />, 400)
    },
  )
  .get('/:token/google', async (c) => {
    const link = await linkOf(c)
    const followed = link ? await reviews(link.org).followPublicLink(link.requestId, link.orgClientId) : null
    if (!followed) return expired(c)
    if (!followed.url) return expired(c, 'This business has not added a public review page yet.')
    return c.redirect(followed.url, 302)
  })

export const qrScan = new Hono<AppEnv>().get('/:code', async (c) => {
  const code = canonicalQrCode(c.req.param('code'))
  const organizationId =
    code && c.env.PORTAL_SIGNING_KEY ? await qrCodeOrganization(peopleDb(c.env.PEOPLE), code) : null
  const requestId = organizationId ? await reviews(orgStub(c.env, organizationId)).scanQrCode(code!) : null
  if (!organizationId || !requestId) return expired(c, 'This code is not in use. Ask the business for a new one.')
  c.header('Cache-Control', 'no-store')
  return c.redirect(await ratingPath(c.env, organizationId, '', requestId, QR_LINK_DAYS), 302)
})
