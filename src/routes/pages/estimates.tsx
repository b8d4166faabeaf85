/**
 * Staff pages of estimates: the list with status filters, a new estimate for a lead or a client
 * (lines typed or from services, totals as you type), a client's estimates for its page, and an
 * estimate's own page with send and book (estimates/panel.tsx).
 */
import { zValidator } from '@hono/zod-validator'
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { invoiceMoney } from '../../../durable-objects/org/crm/invoice-lines'
import { ESTIMATE_STATUSES } from '../../../durable-objects/org/schema'
import type { AppEnv } from '../../env'
import { sales } from '../../sales/remote'
import { addDays, isIsoDate, localDate } from '../../time'
import { clock } from '../../clock'
import type { FormErrors, FormValues } from '../../../views/fields'
import { NewEstimatePage, NewEstimateForm, type NewEstimateProps, TotalsRows } from '../../../views/estimates/form'
import { ClientEstimateRows, EstimatesPage } from '../../../views/estimates/list'
import type { LineRow } from '../../../views/jobs/lines'
import { fragment } from '../../../views/layout'
import { formStrings, ID, isHtmx } from './forms'
import { pickerClients } from './lookups'
import { readLines, readRows } from './jobs/lines'
import { BLANK, estimatePanelPages, page, rowValue, serviceRow } from './estimates/panel'

const listQuery = z.object({
  status: z.enum(ESTIMATE_STATUSES).optional().catch(undefined),
  org_client_id: z.string().max(100).optional().catch(undefined),
})

/** What the rows make at the rate the estimate will have (the client's, else the business's default). */
async function totalsOf(c: Context<AppEnv>, values: FormValues, rows: LineRow[]) {
  const subject = values['lead_id'] ? { lead_id: values['lead_id'] } : { org_client_id: values['org_client_id'] || '' }
  const rate = await sales(c.get('org')).estimates.taxRate(subject)
  const readable = rows.map(rowValue).filter((v) => v !== null)
  return { ...invoiceMoney(readable, rate), rate }
}

/** The new-estimate form's props: whom it is for, the pickers, the rows with their amounts and totals. */
async function formProps(
  c: Context<AppEnv>,
  values: FormValues,
  rows: LineRow[],
  errors: FormErrors = {},
): Promise<NewEstimateProps> {
  const leadId = values['lead_id']
  const [lead, clients, services, totals] = await Promise.all([
    leadId ? sales(c.get('org')).leads.getLead(leadId) : null,
    leadId ? [] : pickerClients(c, values['org_client_id']),
    c.get('org').listServices(),
    totalsOf(c, values, rows),
  ])
  return {
    lead: lead ? { id: lead.id, name: [lead.first_name, lead.last_name].filter(Boolean).join(' ') } : undefined,
    clients,
    services,
    rows,
    amounts: rows.map((r) => {
      const v = rowValue(r)
      return v ? invoiceMoney([v], 0).subtotal_cents : null
    }),
    totals,
    values,
    errors,
  }
}

/** The form again: a fragment for htmx, else the page; 422 when it was refused. */
async function formAnswer(
  c: Context<AppEnv>,
  values: FormValues,
  rows: LineRow[],
  errors: FormErrors = {},
  status: 200 | 422 = 200,
) {
  const props = await formProps(c, values, rows, errors)
  c.status(status)
  return isHtmx(c)
    ? fragment(c, <NewEstimateForm {...props} />)
    : c.render(<NewEstimatePage {...props} />, page('New estimate'))
}

/** What the form is missing before it may be saved: whom for, a real last day not yet passed, notes that fit. */
function formRules(c: Context<AppEnv>, values: FormValues): FormErrors {
  const errors: FormErrors = {}
  if ((values['notes'] ?? '').length > 5000) errors['notes'] = 'Keep the notes to 5,000 characters.'
  if (!values['lead_id'] && !values['org_client_id']) errors['org_client_id'] = 'Choose a client.'
  const day = values['valid_until']?.trim() ?? ''
  const today = localDate(clock.now(), c.get('organization').timezone)
  if (!isIsoDate(day)) errors['valid_until'] = 'Pick the last day the estimate stands.'
  else if (day < today) errors['valid_until'] = 'Pick today or a later day.'
  return errors
}

export const estimatesPages = new Hono<AppEnv>()
  .get('/', zValidator('query', listQuery), async (c) => {
    const { status: filter, org_client_id } = c.req.valid('query')
    const items = await sales(c.get('org')).estimates.listEstimates({ status: filter, org_client_id, limit: 200 })
    return c.render(<EstimatesPage filter={filter} items={items} />, page('Estimates'))
  })
  .get('/new', async (c) => {
    const today = localDate(clock.now(), c.get('organization').timezone)
    const values = {
      lead_id: c.req.query('lead_id') || undefined,
      org_client_id: c.req.query('org_client_id') || undefined,
      valid_until: addDays(today, 30),
    }
    const props = await formProps(c, values, [BLANK])
    return c.render(<NewEstimatePage {...props} />, page('New estimate'))
  })
  .post('/', async (c) => {
    const values = await formStrings(c)
    const rows = readRows(values)
    const action = values['do'] ?? 'recalc'
    if (action === 'add') return formAnswer(c, values, [...rows, BLANK])
    if (action === 'add_service') {
      const service = (await c.get('org').listServices()).find((s) => s.id === values['add_service_id'])
      if (!service) return formAnswer(c, values, rows, { form: 'Choose a service to add.' }, 422)
      // A first row left blank gives way to the service.
      const kept = rows.filter((r) => r.description.trim() || r.price.trim())
      return formAnswer(c, values, [...kept, serviceRow(service)])
    }
    if (action.startsWith('remove_')) {
      const left = rows.filter((_, i) => i !== Number(action.slice('remove_'.length)))
      return formAnswer(c, values, left.length > 0 ? left : [BLANK])
    }
    if (action !== 'save') return formAnswer(c, values, rows.length > 0 ? rows : [BLANK])
    const { items, errors } = readLines(rows)
    if (items.length === 0) errors['form'] ??= 'An estimate needs at least one line.'
    else if (errors['form']) errors['form'] = 'An estimate takes at most 100 lines.'
    Object.assign(errors, formRules(c, values))
    if (Object.values(errors).some(Boolean)) return formAnswer(c, values, rows, errors, 422)
    const result = await sales(c.get('org')).estimates.createEstimate({
      ...(values['lead_id'] ? { lead_id: values['lead_id'] } : { org_client_id: values['org_client_id'] }),
      line_items: items,
      valid_until: values['valid_until']!.trim(),
      notes: values['notes']?.trim() || undefined,
    })
    if (!result.ok) {
      const field = result.error.message.includes('client') ? 'org_client_id' : 'form'
      return formAnswer(c, values, rows, { [field]: result.error.message }, 422)
    }
    const url = `/app/estimates/${result.value.id}`
    if (!isHtmx(c)) return c.redirect(url, 303)
    c.header('HX-Redirect', url)
    return c.body(null, 201)
  })
  .post('/totals', async (c) => {
    const values = await formStrings(c)
    return fragment(c, <TotalsRows totals={await totalsOf(c, values, readRows(values))} />)
  })
  .get(`/for-client/:id{${ID}}`, async (c) => {
    const items = await sales(c.get('org')).estimates.listEstimates({ org_client_id: c.req.param('id'), limit: 20 })
    return fragment(c, <ClientEstimateRows items={items} />)
  })
  .route('/', estimatePanelPages)
