/**
 * An estimate's page and its actions: the line editor, sending by text or email, booking the
 * approved work as a job with its crew, deleting a draft. Each answers with the panel (htmx) or the page.
 */
import { zValidator } from '@hono/zod-validator'
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { invoiceMoney } from '../../../../durable-objects/org/crm/invoice-lines'
import type { LineItem } from '../../../../durable-objects/org/crm/line-items'
import type { Service } from '../../../../durable-objects/org/crm/services'
import { unwrap } from '../../../../durable-objects/org/result'
import type { EstimateDetail } from '../../../../durable-objects/org/sales/estimates/records'
import { authorOf } from '../../../clients/intake'
import type { AppEnv } from '../../../env'
import { AppError, notFound } from '../../../errors'
import { bookEstimate, sendEstimate } from '../../../sales/estimate-service'
import { sales } from '../../../sales/remote'
import { zonedTimeToUtc } from '../../../time'
import type { FormErrors } from '../../../../views/fields'
import { dollarsInput } from '../../../../views/format'
import { EstimatePage, EstimatePanel, type EstimatePanelProps } from '../../../../views/estimates/page'
import { taxLabel } from '../../../../views/invoices/sheet'
import type { LineRow } from '../../../../views/jobs/lines'
import { fragment } from '../../../../views/layout'
import { bookingSchema } from '../../api/estimates'
import {
  checkbox,
  formBody,
  formStrings,
  ID,
  isHtmx,
  localDateTime,
  optionalMinutes,
  parseDollars,
  ticked,
} from '../forms'
import { teamOf } from '../jobs/detail'
import { readLines, readRows } from '../jobs/lines'

export const page = (title: string) => ({ title, active: 'estimates' as const })

/** What a finished action says on the page (`?done=`), without JavaScript. */
const DONE: Record<string, string> = {
  sent_sms: 'Estimate sent by text.',
  sent_email: 'Estimate sent by email.',
  waits_sms: 'The text with the estimate goes out when the client’s quiet hours end.',
  waits_email: 'The email with the estimate goes out when the client’s quiet hours end.',
  lines: 'Lines saved.',
  booked: 'Booked as a job.',
}

export const BLANK: LineRow = { description: '', quantity: '1', price: '', service_id: '', taxable: true }

/** A row's quantity (empty is 1), unit price in cents and whether it is taxed; null when it cannot be read. */
export function rowValue(r: LineRow) {
  const quantity = Number(r.quantity.trim() || '1')
  const price = parseDollars(r.price)
  return Number.isFinite(quantity) && quantity > 0 && price !== null
    ? { quantity, unit_price_cents: price, taxable: r.taxable }
    : null
}

/** A new row for a service: its name, one of it, at its price. */
export const serviceRow = (s: Service): LineRow => ({
  ...BLANK,
  description: s.name,
  price: dollarsInput(s.price_cents ?? 0),
  service_id: s.id,
})

const toRow = (l: LineItem): LineRow => ({
  description: l.description,
  quantity: String(l.quantity),
  price: dollarsInput(l.unit_price_cents),
  service_id: l.service_id ?? '',
  taxable: l.taxable,
})

/** The estimate, or a 404 for an id this business does not hold. */
async function loadEstimate(c: Context<AppEnv>, id: string): Promise<EstimateDetail> {
  const estimate = await sales(c.get('org')).estimates.getEstimate(id)
  if (!estimate) throw notFound('estimate')
  return estimate
}

/** The panel after an action: a fragment for htmx, else the whole page. */
async function panelAnswer(
  c: Context<AppEnv>,
  id: string,
  status: 200 | 409 | 422,
  said: Omit<EstimatePanelProps, 'estimate'> & { estimate?: EstimateDetail },
) {
  const estimate = said.estimate ?? (await loadEstimate(c, id))
  // The booking form offers the team as the job's crew.
  const team = estimate.status === 'approved' && !estimate.job_id ? await teamOf(c) : []
  const props = { ...said, estimate, team }
  c.status(status)
  return isHtmx(c)
    ? fragment(c, <EstimatePanel {...props} />)
    : c.render(<EstimatePage {...props} />, page(`Estimate #${estimate.number}`))
}

/** After an action that worked: the page with its notice, or the panel for htmx. */
function done(c: Context<AppEnv>, id: string, what: keyof typeof DONE) {
  if (!isHtmx(c)) return c.redirect(`/app/estimates/${id}?done=${what}`, 303)
  return panelAnswer(c, id, 200, { notice: DONE[what] })
}

/** The line editor, open: the rows as typed (else the saved lines) and what they make at the estimate's rate. */
function editor(
  e: EstimateDetail,
  services: Service[],
  state: { rows?: LineRow[]; errors?: FormErrors } = {},
): NonNullable<EstimatePanelProps['editor']> {
  const rows = state.rows ?? e.line_items.map(toRow)
  const values = rows.map(rowValue)
  const money = invoiceMoney(
    values.filter((v) => v !== null),
    e.tax_rate,
  )
  return {
    rows: rows.length > 0 ? rows : [BLANK],
    amounts: (rows.length > 0 ? values : [null]).map((v) => (v ? invoiceMoney([v], 0).subtotal_cents : null)),
    subtotalCents: money.subtotal_cents,
    totals: [
      { label: taxLabel(e.tax_rate), cents: money.tax_cents, testId: 'lines-tax' },
      { label: 'Total', cents: money.total_cents, testId: 'lines-total' },
    ],
    unsaved: state.rows !== undefined,
    locked: false,
    services,
    errors: state.errors ?? {},
  }
}

/** The crew as the API takes it (at most 20 ids); whether each is on the team is checked as the API does, when booking. */
const bookForm = z.object({
  start: localDateTime,
  duration: optionalMinutes,
  notify: checkbox,
  assigned_to: ticked.pipe(bookingSchema.shape.assigned_to.unwrap()),
})

const NOT_ON_TEAM = 'Pick people on your team.'

const sendForm = z.object({ channel: z.enum(['sms', 'email']).optional().catch(undefined) })

export const estimatePanelPages = new Hono<AppEnv>()
  .get(`/:id{${ID}}`, async (c) => {
    const estimate = await loadEstimate(c, c.req.param('id'))
    const open = estimate.status === 'draft' || estimate.status === 'sent'
    const edit =
      c.req.query('edit') === 'lines' && open ? editor(estimate, await c.get('org').listServices()) : undefined
    // The same URL answers the panel to htmx and the page to a browser.
    c.header('Vary', 'HX-Request')
    return panelAnswer(c, estimate.id, 200, { estimate, editor: edit, notice: DONE[c.req.query('done') ?? ''] })
  })
  .post(`/:id{${ID}}/lines`, async (c) => {
    const id = c.req.param('id')
    const org = c.get('org')
    const [estimate, values, services] = await Promise.all([loadEstimate(c, id), formStrings(c), org.listServices()])
    const rows = readRows(values)
    const again = (state: { rows: LineRow[]; errors?: FormErrors }, status: 200 | 409 | 422 = 200) =>
      panelAnswer(c, id, status, { estimate, editor: editor(estimate, services, state) })
    const action = values['do'] ?? 'save'
    if (action === 'add') return again({ rows: [...rows, BLANK] })
    if (action === 'add_service') {
      const service = services.find((s) => s.id === values['add_service_id'])
      return service
        ? again({ rows: [...rows, serviceRow(service)] })
        : again({ rows, errors: { form: 'Choose a service to add.' } }, 422)
    }
    if (action.startsWith('remove_'))
      return again({ rows: rows.filter((_, i) => i !== Number(action.slice('remove_'.length))) })
    const { items, errors } = readLines(rows)
    if (items.length === 0) errors['form'] ??= 'An estimate needs at least one line.'
    else if (errors['form']) errors['form'] = 'An estimate takes at most 100 lines.'
    if (Object.keys(errors).length > 0) return again({ rows, errors }, 422)
    const result = await sales(org).estimates.updateEstimate(id, { line_items: items })
    if (!result.ok) {
      if (result.error.status === 404 && !result.error.message.includes('service')) unwrap(result)
      const form =
        result.error.status === 404
          ? 'A service on these lines is not one of yours. Pick it again.'
          : result.error.message
      return again({ rows, errors: { form } }, result.error.status === 409 ? 409 : 422)
    }
    return done(c, id, 'lines')
  })
  .post(`/:id{${ID}}/send`, zValidator('form', sendForm), async (c) => {
    const id = c.req.param('id')
    try {
      const { message } = await sendEstimate(
        c.env,
        c.get('organization'),
        id,
        c.req.valid('form').channel,
        authorOf(c.get('session')),
      )
      return done(c, id, `${message.deferred_until ? 'waits' : 'sent'}_${message.channel}`)
    } catch (error) {
      if (error instanceof AppError && error.status !== 404 && error.status < 500)
        return panelAnswer(c, id, 409, { error: error.message })
      throw error
    }
  })
  .post(
    `/:id{${ID}}/job`,
    formBody(bookForm, (c, values, errors) => panelAnswer(c, c.req.param('id')!, 422, { values, errors }), {
      fields: { assigned_to: 'assigned_to' },
    }),
    async (c) => {
      const id = c.req.param('id')
      const organization = c.get('organization')
      const { start, duration, notify, assigned_to } = c.req.valid('form')
      const crew = [...new Set(assigned_to)]
      const startAt = zonedTimeToUtc(start.date, start.time, organization.timezone)
      const endAt = duration ? new Date(startAt.getTime() + duration * 60_000).toISOString() : undefined
      try {
        await bookEstimate(
          c.env,
          organization,
          id,
          { start_at: startAt.toISOString(), end_at: endAt, notify, ...(crew.length > 0 ? { assigned_to: crew } : {}) },
          authorOf(c.get('session')),
        )
      } catch (error) {
        if (error instanceof AppError && error.issues?.some((i) => i.path.startsWith('assigned_to')))
          return panelAnswer(c, id, 422, { values: await formStrings(c), errors: { assigned_to: NOT_ON_TEAM } })
        if (error instanceof AppError && error.status !== 404 && error.status < 500)
          return panelAnswer(c, id, 409, { error: error.message, values: await formStrings(c) })
        throw error
      }
      return done(c, id, 'booked')
    },
  )
  .post(`/:id{${ID}}/delete`, async (c) => {
    const result = await sales(c.get('org')).estimates.deleteEstimate(c.req.param('id'))
    if (!result.ok && result.error.status === 404) unwrap(result)
    if (!result.ok) return panelAnswer(c, c.req.param('id'), 409, { error: result.error.message })
    if (!isHtmx(c)) return c.redirect('/app/estimates', 303)
    c.header('HX-Redirect', '/app/estimates')
    return c.body(null, 200)
  })
