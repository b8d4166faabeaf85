/**
 * The homeowner's estimate page /e/{token}: approve with a typed name, or decline with a reason.
 * No sign-in: the link is the permission. Only a sent estimate takes an answer, once; a replay,
 * an answered or expired estimate shows its state. Every link that opens nothing gets one 404 page.
 */
import { zValidator } from '@hono/zod-validator'
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../../env'
import { answerLink, type OpenedLink, openLink } from '../../sales/estimate-links'
import type { FormErrors } from '../../../views/fields'
import { EstimateLinkInvalid, EstimatePublicPage } from '../../../views/estimates/public'
import { fieldErrors, formValues } from '../pages/forms'

const approveForm = z.object({
  name: z
    .string({ message: 'Type your full name to approve.' })
    .trim()
    .min(2, 'Type your full name to approve (at least 2 characters).')
    .max(100, 'Keep your name to 100 characters.'),
})

const declineForm = z.object({
  reason: z.string().trim().max(1000, 'Keep the reason to 1,000 characters.').optional(),
})

/** What the page says after an answer (`?done=`). */
const DONE: Record<string, string> = {
  approved: 'Thank you! Your approval was sent.',
  declined: 'Thank you for letting them know.',
}

function invalidLink(c: Context<AppEnv>) {
  return c.html(<EstimateLinkInvalid />, 404)
}

/** The estimate's page for an opened link (null: the 404 page), with what was typed and its errors when an answer failed. */
async function estimatePage(
  c: Context<AppEnv>,
  link: OpenedLink | null,
  status: 200 | 422 = 200,
  form: { values?: Record<string, string | undefined>; errors?: FormErrors } = {},
) {
  const view = link ? await link.estimates.linkView(link.hash) : null
  if (!view) return invalidLink(c)
  const action = `/e/${c.req.param('token')}`
  return c.html(
    <EstimatePublicPage view={view} action={action} notice={DONE[c.req.query('done') ?? '']} {...form} />,
    status,
  )
}

/** The page again with what was typed and each error beside its field (422). */
async function refused(
  c: Context<AppEnv>,
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
) {
  const values = formValues(await c.req.parseBody())
  return estimatePage(c, await openLink(c.env, c.req.param('token') ?? ''), 422, {
    values,
    errors: fieldErrors(issues),
  })
}

/** After an answer: the page again with its thank-you (a refresh posts nothing twice). */
const answered = (c: Context<AppEnv>, done: string) => c.redirect(`/e/${c.req.param('token')}?done=${done}`, 303)

export const estimatePages = new Hono<AppEnv>()
  .use('*', async (c, next) => {
    await next()
    // The token is the permission: keep it out of caches, search engines and Referer headers.
    c.header('Cache-Control', 'no-store')
    c.header('Referrer-Policy', 'no-referrer')
    c.header('X-Robots-Tag', 'noindex')
  })
  .get('/:token', async (c) => estimatePage(c, await openLink(c.env, c.req.param('token'))))
  .post(
    '/:token/approve',
    zValidator('form', approveForm, (result, c) =>
      result.success ? undefined : refused(c as unknown as Context<AppEnv>, result.error.issues),
    ),
    async (c) => {
      const link = await openLink(c.env, c.req.param('token'))
      const done = link ? await answerLink(c.env, link, { approve: { name: c.req.valid('form').name } }) : null
      if (!done) return invalidLink(c)
      return done.changed ? answered(c, 'approved') : estimatePage(c, link)
    },
  )
  .post(
    '/:token/decline',
    zValidator('form', declineForm, (result, c) =>
      result.success ? undefined : refused(c as unknown as Context<AppEnv>, result.error.issues),
    ),
    async (c) => {
      const link = await openLink(c.env, c.req.param('token'))
      const done = link ? await answerLink(c.env, link, { decline: { reason: c.req.valid('form').reason } }) : null
      if (!done) return invalidLink(c)
      return done.changed ? answered(c, 'declined') : estimatePage(c, link)
    },
  )
