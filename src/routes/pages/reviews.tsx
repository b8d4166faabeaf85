/** /app/reviews: the feedback inbox and its badge, the review-request log, techs and QR codes, the funnel settings. */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { unwrap } from '../../../durable-objects/org/result'
import { REVIEW_REQUEST_STATUSES } from '../../../durable-objects/org/schema'
import type { AppEnv } from '../../env'
import { peopleDb } from '../../db'
import { AppError, notFound } from '../../errors'
import { requireRole } from '../../http/auth'
import { qrSvg } from '../../reviews/qr-svg'
import { googleReviewUrl, saveGoogleReviewUrl } from '../../reviews/settings'
import { addTeamTech, getTeamTech, linkTeamTech, listTeamTechs } from '../../reviews/team-techs'
import { listTeam } from '../../team'
import type { FormErrors, FormValues } from '../../../views/fields'
import { dateTime } from '../../../views/format'
import { fragment } from '../../../views/layout'
import { AskForReview } from '../../../views/reviews/ask'
import { QrCardPage } from '../../../views/reviews/card'
import { FeedbackPage, InboxPage, UnreadBadge } from '../../../views/reviews/inbox'
import { RequestsPage } from '../../../views/reviews/requests'
import { FunnelSettings, FunnelSettingsPage } from '../../../views/reviews/settings'
import { TechCard } from '../../../views/reviews/tech-card'
import { TechsPage, TechsSection } from '../../../views/reviews/techs'
import { organizationPatch } from '../api/organization'
import { newQrCode, newTech } from '../api/reviews'
import { formBody, formStrings, ID, intoApi, isHtmx, optionalEmail, optionalText, text } from './forms'
import { reviews } from '../../reviews/remote'

const page = (title: string) => ({ title, active: 'reviews' as const })
const statusFilter = z.enum(REVIEW_REQUEST_STATUSES).optional().catch(undefined)
const manage = requireRole('owner', 'admin')

const memberId = z
  .string()
  .trim()
  .optional()
  .transform((v) => v || undefined)
const techForm = intoApi(
  z.object({ name: optionalText(100), email: optionalEmail, user_id: memberId }),
  (v) => v,
  newTech,
)
/** Someone new needs a name; someone on the team brings theirs. */
const techRules = (values: FormValues) =>
  values['user_id'] || values['name']?.trim() ? {} : { name: 'Enter the tech’s name.' }
const linkForm = z.object({ user_id: z.string().trim().min(1, 'Pick someone on the team.') })
const qrForm = intoApi(z.object({ label: text(100, 'Name the QR code, e.g. “Van sticker”.') }), (v) => v, newQrCode)
const activeForm = intoApi(
  z.object({ active: z.string().optional() }),
  (v) => ({ active: v.active === 'true' }),
  z.object({ active: z.boolean() }),
)
const askForm = z.object({ org_client_id: z.string().regex(new RegExp(`^${ID}$`)), channel: z.enum(['sms', 'email']) })

/** The public review link, or none (empty clears it), as the organization API keeps it. */
const funnelForm = intoApi(
  z.object({
    google_review_url: z
      .string()
      .trim()
      .default('')
      .transform((v) => v || null)
      .pipe(
        z
          .url({ protocol: /^https?$/, message: 'Enter a web address starting with https://' })
          .max(500, 'Keep it under 500 characters.')
          .nullable(),
      ),
  }),
  (v) => v,
  organizationPatch.pick({ google_review_url: true }),
)

/** What became of an "Ask for a review", in words. */
function askedNotice(
  status: string,
  reason: string | null,
  sendAfter: string | null,
  channel: 'sms' | 'email',
  tz: string,
): { notice?: string; error?: string } {
  const by = channel === 'sms' ? 'text' : 'email'
  if (status === 'queued') return { notice: `Review request sent by ${by}.` }
  if (status === 'deferred' && sendAfter)
    return {
      notice: `Review request will go by ${by} ${dateTime(sendAfter, tz)} (${reason?.startsWith('cap') ? 'daily message limit' : 'quiet hours'}).`,
    }
  const why: Record<string, string> = {
    opted_out: `they have turned off ${by} messages`,
    no_phone: 'there is no phone number',
    no_email: 'there is no email address',
  }
  return { error: `Not sent: ${why[reason ?? ''] ?? reason ?? status}.` }
}

/** The public origin, for the short links printed on QR codes. */
const baseOf = (c: Context<AppEnv>) => c.env.PUBLIC_BASE_URL ?? new URL(c.req.url).origin

/** The business's registry, id and object: what the team's techs are read from. */
const teamOf = (c: Context<AppEnv>) => [peopleDb(c.env.PEOPLE), c.get('organization').id, c.get('org')] as const

/** The techs and everyone on the team (for linking and adding), read together. */
async function techsAndTeam(c: Context<AppEnv>) {
  const [techs, members] = await Promise.all([
    listTeamTechs(...teamOf(c)),
    listTeam(peopleDb(c.env.PEOPLE), c.get('organization').id),
  ])
  return { techs, members, base: baseOf(c) }
}

/** The techs section again, filled in, with errors beside the fields. */
async function techInvalid(c: Context<AppEnv>, values: FormValues, errors: FormErrors) {
  const props = { ...(await techsAndTeam(c)), values, errors }
  c.status(422)
  return isHtmx(c)
    ? fragment(c, <TechsSection {...props} />)
    : c.render(<TechsPage {...props} />, page('Techs & QR codes'))
}

/** A tech's card after a change: the fragment for htmx, else back to the page. */
async function techChanged(c: Context<AppEnv>, id: string, errors: { error?: string; linkError?: string } = {}) {
  if (!isHtmx(c)) return c.redirect(`/app/reviews/techs#tech-${id}`, 303)
  const [tech, members] = await Promise.all([
    getTeamTech(...teamOf(c), id),
    listTeam(peopleDb(c.env.PEOPLE), c.get('organization').id),
  ])
  if (!tech) throw notFound('tech')
  const status = errors.error || errors.linkError ? 422 : 200
  return fragment(c, <TechCard tech={tech} members={members} base={baseOf(c)} {...errors} />, status)
}

/** A QR code of this organization, or a 404. */
async function qrOf(c: Context<AppEnv>) {
  const qr = await reviews(c.get('org')).getQrCode(c.req.param('id') ?? '')
  if (!qr) throw notFound('QR code')
  return qr
}

/** The funnel settings card for htmx (the settings page loads it), else its own page. */
function funnelAnswer(
  c: Context<AppEnv>,
  props: { url: string | null; value?: string; error?: string; saved?: boolean },
  status: 200 | 422 = 200,
) {
  c.status(status)
  return isHtmx(c)
    ? fragment(c, <FunnelSettings {...props} />)
    : c.render(<FunnelSettingsPage {...props} />, page('Review funnel'))
}

export const reviewPages = new Hono<AppEnv>()
  .get('/', async (c) => {
    const org = c.get('org')
    const [items, summary] = await Promise.all([
      reviews(org).listFeedback({ limit: 200 }),
      reviews(org).ratingsSummary(),
    ])
    return c.render(<InboxPage items={items} summary={summary} />, page('Reviews'))
  })
  .get('/badge', async (c) => {
    c.header('Cache-Control', 'no-store')
    return c.html(<UnreadBadge count={await reviews(c.get('org')).unreadFeedbackCount()} />)
  })
  .get(`/feedback/:id{${ID}}`, async (c) => {
    const item = await reviews(c.get('org')).readFeedback(c.req.param('id'))
    if (!item) throw notFound('feedback')
    return c.render(<FeedbackPage item={item} />, page('Private feedback'))
  })
  .get('/requests', async (c) => {
    const status = statusFilter.parse(c.req.query('status') || undefined)
    const items = await reviews(c.get('org')).listReviewRequests({ status, limit: 200 })
    return c.render(<RequestsPage items={items} status={status} />, page('Review requests'))
  })
  .post(
    '/ask',
    formBody(askForm, () => {
      throw notFound('client')
    }),
    async (c) => {
      const { org_client_id: clientId, channel } = c.req.valid('form')
      const asked = unwrap(await reviews(c.get('org')).askForReview(clientId, channel))
      if (!isHtmx(c)) return c.redirect(`/app/clients/${clientId}`, 303)
      const said = askedNotice(
        asked.message.status,
        asked.message.reason,
        asked.send_after,
        channel,
        c.get('organization').timezone,
      )
      return fragment(c, <AskForReview clientId={clientId} {...said} />)
    },
  )
  .get('/techs', async (c) => c.render(<TechsPage {...(await techsAndTeam(c))} />, page('Techs & QR codes')))
  .post('/techs', manage, formBody(techForm, techInvalid, { rules: techRules }), async (c) => {
    let added: Awaited<ReturnType<typeof addTeamTech>>
    try {
      added = await addTeamTech(...teamOf(c), c.req.valid('form'), c.get('session')?.accountId ?? null, baseOf(c))
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error
      return techInvalid(c, await formStrings(c), { user_id: 'Pick someone on the team.' })
    }
    const { tech, invite_url } = added
    const notice = `Added ${tech.name}.`
    if (!isHtmx(c) && !invite_url) return c.redirect('/app/reviews/techs', 303)
    const props = { ...(await techsAndTeam(c)), notice, inviteUrl: invite_url }
    // The invite link is shown once: without htmx the page itself answers with it.
    if (!isHtmx(c)) return c.render(<TechsPage {...props} />, page('Techs & QR codes'))
    return fragment(c, <TechsSection {...props} />, 201)
  })
  .post(
    `/techs/:id{${ID}}/link`,
    manage,
    formBody(linkForm, (c, _, errors) => techChanged(c, c.req.param('id')!, { linkError: errors['user_id'] })),
    async (c) => {
      const id = c.req.param('id')
      try {
        await linkTeamTech(...teamOf(c), id, c.req.valid('form').user_id)
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 400) throw error
        return techChanged(c, id, { linkError: 'Pick someone on the team.' })
      }
      return techChanged(c, id)
    },
  )
  .post(
    `/techs/:id{${ID}}/active`,
    manage,
    formBody(activeForm, (c) => techChanged(c, c.req.param('id')!)),
    async (c) => {
      const id = c.req.param('id')
      unwrap(await reviews(c.get('org')).setTechActive(id, c.req.valid('form').active))
      return techChanged(c, id)
    },
  )
  .post(
    `/techs/:id{${ID}}/qr-codes`,
    manage,
    formBody(qrForm, async (c, _, errors) => {
      const id = c.req.param('id')!
      if (!(await reviews(c.get('org')).getTech(id))) throw notFound('tech')
      return techChanged(c, id, { error: errors['label'] })
    }),
    async (c) => {
      const id = c.req.param('id')
      unwrap(await reviews(c.get('org')).addQrCode(id, c.req.valid('form').label))
      return techChanged(c, id)
    },
  )
  .get(`/qr/:id{${ID}}/image.svg`, async (c) => {
    const qr = await qrOf(c)
    c.header('Content-Type', 'image/svg+xml; charset=utf-8')
    c.header('Cache-Control', 'private, max-age=86400')
    return c.body(qrSvg(`${baseOf(c)}/q/${qr.code}`))
  })
  .get(`/qr/:id{${ID}}/card`, async (c) => {
    const qr = await qrOf(c)
    return c.html(
      <QrCardPage
        business={c.get('organization').name}
        qr={qr}
        techName={qr.tech_name}
        shortUrl={`${baseOf(c)}/q/${qr.code}`}
      />,
    )
  })
  .get('/settings', async (c) => {
    c.header('Vary', 'HX-Request')
    return funnelAnswer(c, {
      url: await googleReviewUrl(c.env, c.get('organization').id),
      saved: c.req.query('saved') === '1',
    })
  })
  .post(
    '/settings',
    manage,
    formBody(funnelForm, async (c, values, errors) =>
      funnelAnswer(
        c,
        {
          url: await googleReviewUrl(c.env, c.get('organization').id),
          value: values['google_review_url'],
          error: errors['google_review_url'],
        },
        422,
      ),
    ),
    async (c) => {
      const { google_review_url: url } = c.req.valid('form')
      await saveGoogleReviewUrl(c.env, c.get('organization').id, url ?? null)
      if (!isHtmx(c)) return c.redirect('/app/reviews/settings?saved=1', 303)
      return fragment(c, <FunnelSettings url={url ?? null} saved />)
    },
  )
