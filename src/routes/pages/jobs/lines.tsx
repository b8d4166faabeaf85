/** POST /app/jobs/{id}/lines: the line-items editor's every button (save, add a line, add a service, remove one). */
import { Hono, type Context } from 'hono'
import type { JobWithCrew } from '../../../../durable-objects/org/crm/jobs'
import type { NewLineItem } from '../../../../durable-objects/org/crm/line-items'
import type { Service } from '../../../../durable-objects/org/crm/services'
import { unwrap } from '../../../../durable-objects/org/result'
import type { AppEnv } from '../../../env'
import { notFound } from '../../../errors'
import type { FormErrors, FormValues } from '../../../../views/fields'
import { dollarsInput } from '../../../../views/format'
import { JobPage } from '../../../../views/jobs'
import { LineItemsCard, type LineRow } from '../../../../views/jobs/lines'
import { fragment } from '../../../../views/layout'
import { lineItemsBody } from '../../api/job-lines'
import { formStrings, ID, isHtmx, parseDollars } from '../forms'
import { DONE, jobDetail, type LinesState, linesCard, page } from './detail'

/** More rows than a job may keep, so a form one row over still says what is wrong. */
const MAX_ROWS = 110

/** What each line field says on the page when the API's rules refuse it. */
const RULES: Record<string, [field: string, message: string]> = {
  description: ['description', 'Describe the work in 1 to 200 characters.'],
  quantity: ['quantity', 'Enter a quantity more than 0, at most 10,000.'],
  unit_price_cents: ['price', 'Enter a price from $0 to $100,000.'],
  service_id: ['description', 'Pick the service again.'],
}

/** The editor's rows as posted (`rows` says how many), as typed. */
export function readRows(values: FormValues): LineRow[] {
  const n = Math.min(Math.max(0, Math.trunc(Number(values['rows']) || 0)), MAX_ROWS)
  return Array.from({ length: n }, (_, i) => ({
    description: values[`line_description_${i}`] ?? '',
    quantity: values[`line_quantity_${i}`] ?? '',
    price: values[`line_price_${i}`] ?? '',
    service_id: values[`line_service_${i}`] ?? '',
    taxable: values[`line_taxable_${i}`] !== undefined,
  }))
}

/**
 * The rows read into the API's lines: a row with neither a description nor a price is left out,
 * an empty quantity is 1; errors are keyed `line_<field>_<row>` to show beside the field.
 */
export function readLines(rows: LineRow[]): { items: NewLineItem[]; errors: FormErrors } {
  const items: NewLineItem[] = []
  const rowOf: number[] = []
  const errors: FormErrors = {}
  rows.forEach((r, i) => {
    if (!r.description.trim() && !r.price.trim()) return
    const quantity = r.quantity.trim() === '' ? 1 : Number(r.quantity.trim())
    if (!Number.isFinite(quantity)) errors[`line_quantity_${i}`] = 'Enter a number, like 1 or 2.5.'
    const price = parseDollars(r.price)
    if (price === null)
      errors[`line_price_${i}`] = r.price.trim() ? 'Enter an amount in dollars, like 120 or 89.50.' : 'Enter a price.'
    items.push({
      description: r.description.trim(),
      quantity,
      unit_price_cents: price ?? 0,
      service_id: r.service_id || undefined,
      taxable: r.taxable,
    })
    rowOf.push(i)
  })
  if (items.length === 0) return { items, errors }
  const checked = lineItemsBody.safeParse({ items })
  if (checked.success) return { items: checked.data.items, errors }
  for (const issue of checked.error.issues) {
    const [, k, key] = issue.path
    const rule = typeof k === 'number' && typeof key === 'string' ? RULES[key] : undefined
    if (rule) errors[`line_${rule[0]}_${rowOf[k as number]}`] ??= rule[1]
    else errors['form'] ??= 'A job takes at most 100 lines.'
  }
  return { items, errors }
}

/** A new row for a service: its name, one of it, at its price. */
const serviceRow = (s: Service): LineRow => ({
  description: s.name,
  quantity: '1',
  price: dollarsInput(s.price_cents ?? 0),
  service_id: s.id,
  taxable: true,
})

const BLANK: LineRow = { description: '', quantity: '1', price: '', service_id: '', taxable: true }

/** The card for htmx, else the whole job page around it. */
async function linesAnswer(
  c: Context<AppEnv>,
  job: JobWithCrew,
  services: Service[],
  state: LinesState,
  status: 200 | 409 | 422 = 200,
) {
  const lines = await linesCard(c, job, services, state)
  c.status(status)
  if (isHtmx(c)) return fragment(c, <LineItemsCard {...lines} />)
  return c.render(<JobPage item={await jobDetail(c, job)} lines={lines} />, page('Job'))
}

export const jobLinesPages = new Hono<AppEnv>().post(`/:id{${ID}}/lines`, async (c) => {
  const id = c.req.param('id')
  const org = c.get('org')
  const job = await org.getJob(id)
  if (!job) throw notFound('job')
  const [values, services] = await Promise.all([formStrings(c), org.listServices()])
  const rows = readRows(values)
  const action = values['do'] ?? 'save'
  if (action === 'add') return linesAnswer(c, job, services, { rows: [...rows, BLANK] })
  if (action === 'add_service') {
    const service = services.find((s) => s.id === values['add_service_id'])
    if (!service) return linesAnswer(c, job, services, { rows, errors: { form: 'Choose a service to add.' } }, 422)
    return linesAnswer(c, job, services, { rows: [...rows, serviceRow(service)] })
  }
  if (action.startsWith('remove_')) {
    const gone = Number(action.slice('remove_'.length))
    return linesAnswer(c, job, services, { rows: rows.filter((_, i) => i !== gone) })
  }
  const { items, errors } = readLines(rows)
  if (Object.keys(errors).length > 0) return linesAnswer(c, job, services, { rows, errors }, 422)
  const result = await org.replaceJobLineItems(id, items)
  if (!result.ok) {
    if (result.error.status === 404 && !result.error.message.includes('service')) unwrap(result)
    const form =
      result.error.status === 404
        ? 'A service on these lines is not one of yours. Pick it again.'
        : result.error.message
    return linesAnswer(c, job, services, { rows, errors: { form } }, result.error.status === 409 ? 409 : 422)
  }
  if (!isHtmx(c)) return c.redirect(`/app/jobs/${id}?done=lines#job-lines`, 303)
  return linesAnswer(c, job, services, { notice: DONE.lines })
})
