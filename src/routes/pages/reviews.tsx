/** /app/reviews: the feedback inbox and its badge, the review-request log, techs and QR codes, the funnel settings. */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { unwrap } from '../../../durable-objects/org/result'
import { REVIEW_REQUEST_STATUSES } from '../../../durable-objects/org/schema'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { requireCsrfToken, requireRole, requireSession } from '../../http/auth'
import { qrSvg } from '../../reviews/qr-svg'
import { googleReviewUrl, saveGoogleReviewUrl } from '../../reviews/settings'
import type { FormErrors, FormValues } from '../../../views/fields'
import { dateTime } from '../../../views/format'
import { AskForReview } from '../../../views/reviews/ask'
import { QrCardPage } from '../../../views/reviews/card'
import { FeedbackPage, InboxPage, UnreadBadge } from '../../../views/reviews/inbox'
import { RequestsPage } from '../../../views/reviews/requests'
import { FunnelSettings, FunnelSettingsPage } from '../../../views/reviews/settings'
import { TechCard, TechsPage, TechsSection } from '../../../views/reviews/techs'
import { formBody, formStrings, ID, isHtmx, optionalEmail, text } from './forms'

const techForm = z.object({ name: text(100, 'Enter the tech’s name.'), email: optionalEmail })
const qrForm = z.object({ label: text(100, 'Name the QR code, e.g. “Van sticker”.') })
const reviewUrl = z.url({ protocol: /^https?$/, message: 'Enter a web address starting with https://' }).max(500, 'Keep it under 500 characters.')
const statusFilter = z.enum(REVIEW_REQUEST_STATUSES).optional().catch(undefined)
const manage = requireRole('owner', 'admin')
const askForm = z.object({ org_client_id: z.string().regex(new RegExp(`^${ID}$`)), channel: z.enum(['sms', 'email']) })

/** What became of an "Ask for a review", in words. */
function askedNotice(status: string, reason: string | null, sendAfter: string | null, channel: 'sms' | 'email', tz: string): { notice?: string; error?: string } {
  const by = channel === 'sms' ? 'text' : 'email'
  if (status === 'queued') return { notice: `Review request sent by ${by}.` }
  if (status === 'deferred' && sendAfter) return { notice: `Review request will go by ${by} ${dateTime(sendAfter, tz)} (${reason?.startsWith('cap') ? 'daily message limit' : 'quiet hours'}).` }
  const why: Record<string, string> = { opted_out: `they have turned off ${by} messages`, no_phone: 'there is no phone number', no_email: 'there is no email address' }
  return { error: `Not sent: ${why[reason ?? ''] ?? reason ?? status}.` }
}

/** The public origin, for the short links printed on QR codes. */
const baseOf = (c: Context<AppEnv>) => c.env.PUBLIC_BASE_URL ?? new URL(c.req.url).origin

/** The techs section again, filled in, with errors beside the fields. */
async function techInvalid(c: Context<AppEnv>, values: FormValues, errors: FormErrors) {
  const props = { session: c.get('session')!, techs: await c.get('org').listTechs(), base: baseOf(c), values, errors }
  return c.html(isHtmx(c) ? <TechsSection {...props} /> : <TechsPage {...props} />, 422)
}

/** A tech's card after a change: the fragment for htmx, else back to the page. */
async function techChanged(c: Context<AppEnv>, id: string, error?: string) {
  if (!isHtmx(c)) return c.redirect(`/app/reviews/techs#tech-${id}`, 303)
  const tech = await c.get('org').getTech(id)
  if (!tech) throw notFound('tech')
  return c.html(<TechCard session={c.get('session')!} tech={tech} base={baseOf(c)} error={error} />, error ? 422 : 200)
}

/** A QR code of this organization, or a 404. */
async function qrOf(c: Context<AppEnv>) {
  const qr = await c.get('org').getQrCode(c.req.param('id') ?? '')
  if (!qr) throw notFound('QR code')
  return qr
}

export const reviewPages = new Hono<AppEnv>()
  .use('*', requireSession, requireCsrfToken)
  .get('/', async (c) => {
    const org = c.get('org')
    const [items, summary] = await Promise.all([org.listFeedback({ limit: 200 }), org.ratingsSummary()])
    return c.html(<InboxPage session={c.get('session')!} items={items} summary={summary} />)
  })
  .get('/badge', async (c) => {
    c.header('Cache-Control', 'no-store')
    return c.html(<UnreadBadge count={await c.get('org').unreadFeedbackCount()} />)
  })
  .get(`/feedback/:id{${ID}}`, async (c) => {
    const item = await c.get('org').readFeedback(c.req.param('id'))
    if (!item) throw notFound('feedback')
    return c.html(<FeedbackPage session={c.get('session')!} item={item} />)
  })
  .get('/requests', async (c) => {
    const status = statusFilter.parse(c.req.query('status') || undefined)
    const items = await c.get('org').listReviewRequests({ status, limit: 200 })
    return c.html(<RequestsPage session={c.get('session')!} items={items} status={status} />)
  })
  .post('/ask', async (c) => {
    const form = askForm.safeParse(await formStrings(c))
    if (!form.success) throw notFound('client')
    const { org_client_id: clientId, channel } = form.data
    const asked = unwrap(await c.get('org').askForReview(clientId, channel))
    if (!isHtmx(c)) return c.redirect(`/app/clients/${clientId}`, 303)
    const said = askedNotice(asked.message.status, asked.message.reason, asked.send_after, channel, c.get('organization').timezone)
    return c.html(<AskForReview session={c.get('session')!} clientId={clientId} {...said} />)
  })
  .get('/techs', async (c) => c.html(<TechsPage session={c.get('session')!} techs={await c.get('org').listTechs()} base={baseOf(c)} />))
  .post('/techs', manage, formBody(techForm, techInvalid), async (c) => {
    const v = c.req.valid('form')
    const org = c.get('org')
    await org.createTech({ name: v.name, email: v.email })
    if (!isHtmx(c)) return c.redirect('/app/reviews/techs', 303)
    return c.html(<TechsSection session={c.get('session')!} techs={await org.listTechs()} base={baseOf(c)} notice={`Added ${v.name}.`} />, 201)
  })
  .post(`/techs/:id{${ID}}/active`, manage, async (c) => {
    const id = c.req.param('id')
    unwrap(await c.get('org').setTechActive(id, (await formStrings(c))['active'] === 'true'))
    return techChanged(c, id)
  })
  .post(`/techs/:id{${ID}}/qr-codes`, manage, async (c) => {
    const id = c.req.param('id')
    const label = qrForm.safeParse(await formStrings(c))
    if (!label.success) {
      if (!(await c.get('org').getTech(id))) throw notFound('tech')
      return techChanged(c, id, label.error.issues[0]!.message)
    }
    unwrap(await c.get('org').addQrCode(id, label.data.label))
    return techChanged(c, id)
  })
  .get(`/qr/:id{${ID}}/image.svg`, async (c) => {
    const qr = await qrOf(c)
    c.header('Content-Type', 'image/svg+xml; charset=utf-8')
    c.header('Cache-Control', 'private, max-age=86400')
    return c.body(qrSvg(`${baseOf(c)}/q/${qr.code}`))
  })
  .get(`/qr/:id{${ID}}/card`, async (c) => {
    const qr = await qrOf(c)
    return c.html(<QrCardPage business={c.get('organization').name} qr={qr} techName={qr.tech_name} shortUrl={`${baseOf(c)}/q/${qr.code}`} />)
  })
  .get('/settings', async (c) => {
    const props = { session: c.get('session')!, url: await googleReviewUrl(c.env, c.get('organization').id), saved: c.req.query('saved') === '1' }
    c.header('Vary', 'HX-Request')
    return c.html(isHtmx(c) ? <FunnelSettings {...props} /> : <FunnelSettingsPage {...props} />)
  })
  .post('/settings', manage, async (c) => {
    const session = c.get('session')!
    const typed = ((await formStrings(c))['google_review_url'] ?? '').trim()
    const parsed = typed === '' ? { success: true as const, data: null } : reviewUrl.safeParse(typed)
    if (!parsed.success) {
      const props = { session, url: await googleReviewUrl(c.env, session.organization.id), value: typed, error: parsed.error.issues[0]!.message }
      return c.html(isHtmx(c) ? <FunnelSettings {...props} /> : <FunnelSettingsPage {...props} />, 422)
    }
    await saveGoogleReviewUrl(c.env, session.organization.id, parsed.data)
    if (!isHtmx(c)) return c.redirect('/app/reviews/settings?saved=1', 303)
    return c.html(<FunnelSettings session={session} url={parsed.data} saved />)
  })
