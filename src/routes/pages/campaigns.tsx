// Over 300 lines on purpose: the campaign's forms (segment, message, schedule, the confirm step's count) share their readers with the routes that use them.
/**
 * Staff pages for campaigns: the list and sending settings, the new-campaign form with its live
 * count, the confirm step (exact count, the rendered message, a test to yourself, then send or
 * schedule), one campaign's progress.
 */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { SEND_STATUSES } from '../../../durable-objects/org/campaigns/campaigns'
import { CampaignPage, CampaignProgress } from '../../../views/campaigns/campaign'
import { ConfirmPage, TestSendForm } from '../../../views/campaigns/confirm'
import { CampaignForm, CampaignPreview, NewCampaignPage } from '../../../views/campaigns/form'
import { CampaignsPage } from '../../../views/campaigns/list'
import type { FormErrors, FormValues } from '../../../views/fields'
import { fragment } from '../../../views/layout'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { unwrap } from '../../../durable-objects/org/result'
import { ownerOrAdmin, requireRole } from '../../http/auth'
import { zonedTimeToUtc } from '../../time'
import { localInput } from '../../../views/format'
import { campaignSchema, previewSchema, sendSchema, testRecipient } from '../api/campaigns'
import { organizationPatch } from '../api/organization'
import {
  checkbox,
  formBody,
  formStrings,
  intoApi,
  isHtmx,
  optionalDollarsLike,
  splitLocalDateTime,
  ticked,
} from './forms'
import { campaignsOf } from '../../campaigns/remote'

const page = (title: string) => ({ title, active: 'campaigns' as const })
const typed = z.string().trim().default('')

/** Dollars typed for a lifetime-value bound, as cents; empty is no bound. */
const ltvDollars = optionalDollarsLike('500')

/** The segment's fields as the form types them: ticked statuses, comma-separated tags, dollars. */
const segmentFields = {
  channel: z.enum(['sms', 'email']).catch('sms'),
  status: ticked,
  tags: typed,
  last_job_before: typed,
  last_job_after: typed,
  service_id: typed,
  ltv_min: ltvDollars,
  ltv_max: ltvDollars,
  opted_in: checkbox,
}
type SegmentFields = z.output<z.ZodObject<typeof segmentFields>>

/** The segment as the API takes it: only the filters that were set. */
const segmentOf = (v: SegmentFields) => ({
  ...(v.status.length ? { status: v.status } : {}),
  ...(v.tags
    ? {
        tags: v.tags
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      }
    : {}),
  ...(v.last_job_before ? { last_job_before: v.last_job_before } : {}),
  ...(v.last_job_after ? { last_job_after: v.last_job_after } : {}),
  ...(v.service_id ? { service_id: v.service_id } : {}),
  ...(v.ltv_min !== undefined ? { ltv_min_cents: v.ltv_min } : {}),
  ...(v.ltv_max !== undefined ? { ltv_max_cents: v.ltv_max } : {}),
  ...(v.opted_in ? { opted_in: true } : {}),
})

/** Form field names for the API's paths, so each error shows beside the field it is about. */
const CAMPAIGN_FIELDS = {
  'campaign.segment.ltv_min_cents': 'ltv_min',
  'campaign.segment.ltv_max_cents': 'ltv_max',
  'campaign.segment.status': 'status',
  'send.send_at': 'send_at',
}

/** The live count's form: the API's preview of a segment. */
const previewForm = intoApi(
  z.object(segmentFields),
  (v) => ({ channel: v.channel, segment: segmentOf(v) }),
  previewSchema,
)

/**
 * The whole form, read into the API's campaign and when to send it: now, or a time in the
 * business's zone that must still be ahead.
 */
const campaignForm = (c: Context<AppEnv>) =>
  intoApi(
    z
      .object({
        ...segmentFields,
        name: typed,
        subject: typed,
        body: typed,
        when: z.enum(['now', 'later']).catch('now'),
        send_at: typed,
      })
      .transform((v, ctx) => {
        if (v.when === 'now') return { ...v, at: undefined }
        const at = futureInstant(c, v.send_at, ctx)
        return at === z.NEVER ? z.NEVER : { ...v, at }
      }),
    (v) => ({
      campaign: {
        name: v.name,
        channel: v.channel,
        segment: segmentOf(v),
        subject: v.subject || undefined,
        body: v.body,
      },
      send: { send_at: v.at },
    }),
    z.object({ campaign: campaignSchema, send: sendSchema }),
  )

/** A time typed in the business's zone that must still be ahead, as an instant; else an issue on `send_at`. */
function futureInstant(c: Context<AppEnv>, typedAt: string, ctx: z.RefinementCtx): string | typeof z.NEVER {
  const parts = splitLocalDateTime(typedAt)
  if (!parts) {
    ctx.addIssue({ code: 'custom', path: ['send_at'], message: 'Pick a date and a time to send it.' })
    return z.NEVER
  }
  const at = zonedTimeToUtc(parts.date, parts.time, c.get('organization').timezone).toISOString()
  if (at <= new Date().toISOString()) {
    ctx.addIssue({ code: 'custom', path: ['send_at'], message: 'Pick a time in the future.' })
    return z.NEVER
  }
  return at
}

/** The confirm step's "Schedule": a time ahead in the business's zone. */
const scheduleForm = (c: Context<AppEnv>) =>
  z.object({ send_at: typed }).transform((v, ctx) => futureInstant(c, v.send_at, ctx))

/** The confirm step's "Send now": the count the page showed, which must still be the count. */
const sendNowForm = z.object({ count: z.coerce.number().int().min(0).optional().catch(undefined) })

const settingsForm = intoApi(
  z.object({
    campaign_batch_size: z.coerce
      .number({ message: 'Enter a whole number.' })
      .int('Enter a whole number.')
      .min(1, 'At least 1.')
      .max(1000, 'At most 1000.'),
    marketing_cap_per_day: z.coerce
      .number({ message: 'Enter a whole number.' })
      .int('Enter a whole number.')
      .min(1, 'At least 1.')
      .max(20, 'At most 20.'),
  }),
  (v) => v,
  organizationPatch.pick({ campaign_batch_size: true, marketing_cap_per_day: true }),
)

const sendsFilter = z.enum(SEND_STATUSES).optional().catch(undefined)

/** The campaigns list with the sending settings; 422 when the settings form came back. */
async function listPage(c: Context<AppEnv>, extra: { values?: FormValues; errors?: FormErrors; saved?: boolean } = {}) {
  const org = c.get('org')
  if (extra.errors) c.status(422)
  return c.render(
    <CampaignsPage
      campaigns={await campaignsOf(org).listCampaigns()}
      settings={await org.campaignSettings()}
      {...extra}
    />,
    page('Campaigns'),
  )
}

/** The new-campaign form again, filled in, with errors beside the fields. */
async function campaignInvalid(c: Context<AppEnv>, values: FormValues, errors: FormErrors) {
  const props = { services: await c.get('org').listServices(), values, errors }
  c.status(422)
  return isHtmx(c)
    ? fragment(c, <CampaignForm {...props} />)
    : c.render(<NewCampaignPage {...props} />, page('New campaign'))
}

/**
 * The confirm step of a draft or scheduled campaign (else its own page): the exact count, the
 * message as its first recipient gets it, and the send and schedule forms.
 */
async function confirmStep(
  c: Context<AppEnv>,
  extra: { values?: FormValues; errors?: FormErrors; notice?: string; tested?: string; status?: 409 | 422 } = {},
) {
  const campaign = await campaignOr404(c)
  if (campaign.status !== 'draft' && campaign.status !== 'scheduled')
    return c.redirect(`/app/campaigns/${campaign.id}`, 303)
  const confirm = unwrap((await campaignsOf(c.get('org')).confirmCampaign(campaign.id))!)
  const tz = c.get('organization').timezone
  const values = {
    ...(campaign.send_at ? { when: 'later', send_at: localInput(campaign.send_at, tz) } : {}),
    ...(c.req.query('send_at') ? { when: 'later', send_at: c.req.query('send_at') } : {}),
    ...extra.values,
  }
  if (extra.status) c.status(extra.status)
  return c.render(
    <ConfirmPage
      confirm={confirm}
      values={values}
      errors={extra.errors ?? {}}
      notice={extra.notice}
      tested={extra.tested}
    />,
    page(`Check and send: ${campaign.name}`),
  )
}

async function campaignOr404(c: Context<AppEnv>) {
  const campaign = await campaignsOf(c.get('org')).getCampaign(c.req.param('id') ?? '')
  if (!campaign) throw notFound('campaign')
  return campaign
}

export const campaignPages = new Hono<AppEnv>()
  .get('/', async (c) => listPage(c, { saved: c.req.query('saved') === '1' }))
  .post(
    '/settings',
    requireRole('owner'),
    formBody(settingsForm, (c, values, errors) => listPage(c, { values, errors })),
    async (c) => {
      await c.get('org').setCampaignSettings(c.req.valid('form'))
      return c.redirect('/app/campaigns?saved=1#campaign-settings', 303)
    },
  )
  .get('/new', async (c) =>
    c.render(
      <NewCampaignPage services={await c.get('org').listServices()} values={{}} errors={{}} />,
      page('New campaign'),
    ),
  )
  .post(
    '/preview',
    formBody(previewForm, (c) => c.html(<CampaignPreview />)),
    async (c) => {
      const { segment, channel } = c.req.valid('form')
      const preview = await campaignsOf(c.get('org')).previewCampaign(segment, channel)
      return c.html(
        preview.ok ? (
          <CampaignPreview preview={preview.value} />
        ) : (
          <CampaignPreview error="Pick a service from the list." />
        ),
      )
    },
  )
  .post('/', formBody(campaignForm, campaignInvalid, { fields: CAMPAIGN_FIELDS }), async (c) => {
    const { campaign, send } = c.req.valid('form')
    const org = c.get('org')
    const created = await campaignsOf(org).createCampaign(campaign)
    if (!created.ok) return campaignInvalid(c, await formStrings(c), { service_id: 'That service no longer exists.' })
    // Nothing goes yet: the confirm step shows the count and the message, and sends or schedules from there.
    const at = send.send_at
      ? `?send_at=${encodeURIComponent(localInput(send.send_at, c.get('organization').timezone))}`
      : ''
    return c.redirect(`/app/campaigns/${created.value.id}/confirm${at}`, 303)
  })
  .get('/:id/confirm', async (c) => confirmStep(c, { tested: c.req.query('tested') }))
  .post('/:id/test', async (c) => {
    const campaign = await campaignOr404(c)
    const to = await testRecipient(c)
    unwrap((await campaignsOf(c.get('org')).sendTest(campaign.id, to))!)
    if (isHtmx(c)) return fragment(c, <TestSendForm id={campaign.id} tested={to} />, 201)
    return c.redirect(`/app/campaigns/${campaign.id}/confirm?tested=${encodeURIComponent(to)}`, 303)
  })
  .post(
    '/:id/schedule',
    ownerOrAdmin,
    formBody(scheduleForm, (c, values, errors) =>
      confirmStep(c, { values: { ...values, when: 'later' }, errors, status: 422 }),
    ),
    async (c) => {
      const campaign = await campaignOr404(c)
      unwrap(await c.get('org').sendCampaign(campaign.id, c.req.valid('form')))
      return c.redirect(`/app/campaigns/${campaign.id}`, 303)
    },
  )
  .get('/:id', async (c) => {
    const campaign = await campaignOr404(c)
    const filter = sendsFilter.parse(c.req.query('status'))
    const sends = (await campaignsOf(c.get('org')).listCampaignSends(campaign.id, { status: filter, limit: 500 })) ?? []
    const service = campaign.segment.service_id
      ? (await c.get('org').listServices()).find((s) => s.id === campaign.segment.service_id)
      : undefined
    return c.render(
      <CampaignPage campaign={campaign} sends={sends} filter={filter} serviceName={service?.name ?? null} />,
      page(campaign.name),
    )
  })
  .get('/:id/progress', async (c) =>
    c.html(<CampaignProgress campaign={await campaignOr404(c)} tz={c.get('organization').timezone} />),
  )
  .post(
    '/:id/send',
    ownerOrAdmin,
    formBody(sendNowForm, (c) => c.redirect(`/app/campaigns/${c.req.param('id')}/confirm`, 303)),
    async (c) => {
      const campaign = await campaignOr404(c)
      const { count } = c.req.valid('form')
      // A replayed or late post of a campaign that already went changes nothing.
      if (campaign.status !== 'draft' && campaign.status !== 'scheduled')
        return c.redirect(`/app/campaigns/${campaign.id}`, 303)
      // Only from the confirm step, and only while its count still holds: the send reaches exactly what was shown.
      if (count === undefined) return c.redirect(`/app/campaigns/${campaign.id}/confirm`, 303)
      const now = unwrap((await campaignsOf(c.get('org')).confirmCampaign(campaign.id))!).preview.will_receive
      if (now !== count) {
        const notice = `The audience changed since you looked: ${now} ${now === 1 ? 'client' : 'clients'} would receive it now, not ${count}. Check again, then send.`
        return confirmStep(c, { notice, status: 409 })
      }
      unwrap(await c.get('org').sendCampaign(campaign.id, null))
      return c.redirect(`/app/campaigns/${campaign.id}`, 303)
    },
  )
  .post('/:id/cancel', ownerOrAdmin, async (c) => {
    const campaign = await campaignOr404(c)
    await campaignsOf(c.get('org')).cancelCampaign(campaign.id)
    if (!isHtmx(c)) return c.redirect(`/app/campaigns/${campaign.id}`, 303)
    c.header('HX-Redirect', `/app/campaigns/${campaign.id}`)
    return c.body(null, 204)
  })
