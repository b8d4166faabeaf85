/** Staff pages for campaigns: the list and sending settings, the new-campaign form with its live count, one campaign's progress. */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { SEND_STATUSES } from '../../../durable-objects/org/campaigns/campaigns'
import type { Segment } from '../../../durable-objects/org/schema'
import { CampaignPage, CampaignProgress } from '../../../views/campaign'
import { CampaignForm, CampaignPreview, NewCampaignPage } from '../../../views/campaign-form'
import { CampaignsPage } from '../../../views/campaigns'
import type { FormErrors, FormValues } from '../../../views/fields'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { requireCsrfToken, requireRole, requireSession } from '../../http/auth'
import { zonedTimeToUtc } from '../../time'
import { campaignSchema, segmentSchema } from '../campaigns'
import { fieldErrors, isHtmx, parseDollars, splitLocalDateTime } from './forms'

type Form = Record<string, string | File | (string | File)[]>

/** The posted form as strings; repeated fields (the status boxes) joined with commas. */
function formStrings(form: Form): FormValues {
  const values: FormValues = {}
  for (const [k, v] of Object.entries(form)) {
    const all = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string')
    values[k] = all.join(',')
  }
  return values
}

/** Form field names for the API's paths, so each error shows beside the field it is about. */
const FIELD_OF: Record<string, string> = { ltv_min_cents: 'ltv_min', ltv_max_cents: 'ltv_max' }

/** Reads the segment fields of the form; dollars that do not read as an amount are errors. */
function readSegment(v: FormValues): { segment: Segment | null; errors: FormErrors } {
  const errors: FormErrors = {}
  const cents = (field: string) => {
    const raw = (v[field] ?? '').trim()
    if (raw === '') return undefined
    const amount = parseDollars(raw)
    if (amount === null) errors[field] = 'Enter an amount in dollars, like 500.'
    return amount ?? undefined
  }
  const raw = {
    ...(v['status'] ? { status: v['status'].split(',') } : {}),
    ...(v['tags']?.trim() ? { tags: v['tags'].split(',').map((t) => t.trim()).filter(Boolean) } : {}),
    ...(v['last_job_before'] ? { last_job_before: v['last_job_before'] } : {}),
    ...(v['last_job_after'] ? { last_job_after: v['last_job_after'] } : {}),
    ...(v['service_id'] ? { service_id: v['service_id'] } : {}),
    ltv_min_cents: cents('ltv_min'),
    ltv_max_cents: cents('ltv_max'),
    ...(v['opted_in'] === 'on' ? { opted_in: true } : {}),
  }
  const parsed = segmentSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, x]) => x !== undefined)))
  if (!parsed.success) for (const [k, m] of Object.entries(fieldErrors(parsed.error.issues))) errors[FIELD_OF[k] ?? k] ??= m
  return { segment: parsed.success && Object.keys(errors).length === 0 ? parsed.data : null, errors }
}

/** The whole form: the campaign, when to send it (null: now), or the errors to show. */
function readCampaign(v: FormValues, tz: string) {
  const { segment, errors } = readSegment(v)
  const channel = v['channel'] === 'email' ? 'email' : 'sms'
  const parsed = campaignSchema.safeParse({ name: v['name'] ?? '', channel, segment: segment ?? {}, subject: v['subject'] || undefined, body: v['body'] ?? '' })
  if (!parsed.success) for (const [k, m] of Object.entries(fieldErrors(parsed.error.issues))) errors[FIELD_OF[k] ?? k] ??= m
  const sendAt = v['when'] === 'later' ? readSendAt(v['send_at'] ?? '', tz, errors) : null
  return parsed.success && Object.keys(errors).length === 0 ? { input: parsed.data, sendAt, errors } : { input: null, sendAt, errors }
}

/** A datetime-local value in the business's zone as an instant in the future; else an error beside the field. */
function readSendAt(value: string, tz: string, errors: FormErrors): string | null {
  const parts = splitLocalDateTime(value.trim())
  if (!parts) {
    errors['send_at'] = 'Pick a date and a time to send it.'
    return null
  }
  const at = zonedTimeToUtc(parts.date, parts.time, tz).toISOString()
  if (at <= new Date().toISOString()) errors['send_at'] = 'Pick a time in the future.'
  return at
}

const settingsForm = z.object({
  campaign_batch_size: z.coerce.number({ message: 'Enter a whole number.' }).int('Enter a whole number.').min(1, 'At least 1.').max(1000, 'At most 1000.'),
  marketing_cap_per_day: z.coerce.number({ message: 'Enter a whole number.' }).int('Enter a whole number.').min(1, 'At least 1.').max(20, 'At most 20.'),
})

const sendsFilter = z.enum(SEND_STATUSES).optional().catch(undefined)

async function listPage(c: Context<AppEnv>, extra: { values?: FormValues; errors?: FormErrors; saved?: boolean } = {}) {
  const org = c.get('org')
  return <CampaignsPage session={c.get('session')!} campaigns={await org.listCampaigns()} settings={await org.campaignSettings()} {...extra} />
}

async function campaignOr404(c: Context<AppEnv>) {
  const campaign = await c.get('org').getCampaign(c.req.param('id') ?? '')
  if (!campaign) throw notFound('campaign')
  return campaign
}

export const campaignPages = new Hono<AppEnv>()
  .use('*', requireSession, requireCsrfToken)
  .get('/', async (c) => c.html(await listPage(c, { saved: c.req.query('saved') === '1' })))
  .post('/settings', requireRole('owner'), async (c) => {
    const values = formStrings(await c.req.parseBody())
    const parsed = settingsForm.safeParse(values)
    if (!parsed.success) return c.html(await listPage(c, { values, errors: fieldErrors(parsed.error.issues) }), 422)
    await c.get('org').setCampaignSettings(parsed.data)
    return c.redirect('/app/campaigns?saved=1#campaign-settings', 303)
  })
  .get('/new', async (c) => c.html(<NewCampaignPage session={c.get('session')!} services={await c.get('org').listServices()} values={{}} errors={{}} />))
  .post('/preview', async (c) => {
    const values = formStrings(await c.req.parseBody({ all: true }))
    const { segment } = readSegment(values)
    if (!segment) return c.html(<CampaignPreview />)
    const preview = await c.get('org').previewCampaign(segment, values['channel'] === 'email' ? 'email' : 'sms')
    return c.html(preview.ok ? <CampaignPreview preview={preview.value} /> : <CampaignPreview error="Pick a service from the list." />)
  })
  .post('/', async (c) => {
    const values = formStrings(await c.req.parseBody({ all: true }))
    const session = c.get('session')!
    const org = c.get('org')
    const { input, sendAt, errors } = readCampaign(values, session.organization.timezone)
    const invalid = async (e: FormErrors) => {
      const props = { session, services: await org.listServices(), values, errors: e }
      return c.html(isHtmx(c) ? <CampaignForm {...props} /> : <NewCampaignPage {...props} />, 422)
    }
    if (!input) return invalid(errors)
    const created = await org.createCampaign(input)
    if (!created.ok) return invalid({ service_id: 'That service no longer exists.' })
    await org.sendCampaign(created.value.id, sendAt)
    return c.redirect(`/app/campaigns/${created.value.id}`, 303)
  })
  .get('/:id', async (c) => {
    const campaign = await campaignOr404(c)
    const filter = sendsFilter.parse(c.req.query('status'))
    const sends = (await c.get('org').listCampaignSends(campaign.id, { status: filter, limit: 500 })) ?? []
    const service = campaign.segment.service_id ? (await c.get('org').listServices()).find((s) => s.id === campaign.segment.service_id) : undefined
    return c.html(<CampaignPage session={c.get('session')!} campaign={campaign} sends={sends} filter={filter} serviceName={service?.name ?? null} />)
  })
  .get('/:id/progress', async (c) => c.html(<CampaignProgress campaign={await campaignOr404(c)} tz={c.get('session')!.organization.timezone} />))
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
