/** Staff pages for campaigns: the list and sending settings, the new-campaign form with its live count, one campaign's progress. */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { SEND_STATUSES } from '../../../durable-objects/org/campaigns/campaigns'
import { CampaignPage, CampaignProgress } from '../../../views/campaigns/campaign'
import { CampaignForm, CampaignPreview, NewCampaignPage } from '../../../views/campaigns/form'
import { CampaignsPage } from '../../../views/campaigns/list'
import type { FormErrors, FormValues } from '../../../views/fields'
import { fragment } from '../../../views/layout'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { requireRole } from '../../http/auth'
import { zonedTimeToUtc } from '../../time'
import { campaignSchema, previewSchema, sendSchema } from '../api/campaigns'
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
        const parts = splitLocalDateTime(v.send_at)
        if (!parts) {
          ctx.addIssue({ code: 'custom', path: ['send_at'], message: 'Pick a date and a time to send it.' })
          return z.NEVER
        }
        const at = zonedTimeToUtc(parts.date, parts.time, c.get('organization').timezone).toISOString()
        if (at <= new Date().toISOString()) {
          ctx.addIssue({ code: 'custom', path: ['send_at'], message: 'Pick a time in the future.' })
          return z.NEVER
        }
        return { ...v, at }
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
    <CampaignsPage campaigns={await org.listCampaigns()} settings={await org.campaignSettings()} {...extra} />,
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

async function campaignOr404(c: Context<AppEnv>) {
  const campaign = await c.get('org').getCampaign(c.req.param('id') ?? '')
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
      const preview = await c.get('org').previewCampaign(segment, channel)
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
    const created = await org.createCampaign(campaign)
    if (!created.ok) return campaignInvalid(c, await formStrings(c), { service_id: 'That service no longer exists.' })
    await org.sendCampaign(created.value.id, send.send_at ?? null)
    return c.redirect(`/app/campaigns/${created.value.id}`, 303)
  })
  .get('/:id', async (c) => {
    const campaign = await campaignOr404(c)
    const filter = sendsFilter.parse(c.req.query('status'))
    const sends = (await c.get('org').listCampaignSends(campaign.id, { status: filter, limit: 500 })) ?? []
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
  .post('/:id/send', async (c) => {
    const campaign = await campaignOr404(c)
    await c.get('org').sendCampaign(campaign.id, null)
    return c.redirect(`/app/campaigns/${campaign.id}`, 303)
  })
  .post('/:id/cancel', async (c) => {
    const campaign = await campaignOr404(c)
    await c.get('org').cancelCampaign(campaign.id)
    if (!isHtmx(c)) return c.redirect(`/app/campaigns/${campaign.id}`, 303)
    c.header('HX-Redirect', `/app/campaigns/${campaign.id}`)
    return c.body(null, 204)
  })
