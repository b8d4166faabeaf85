/** An invoice's line editor (the job page's editor, posting here): open it, add a line or a service, remove one, save. */
import { Hono, type Context } from 'hono'
import type { InvoiceDocument } from '../../../../durable-objects/org/crm/invoice-detail'
import { invoiceMoney } from '../../../../durable-objects/org/crm/invoice-lines'
import type { LineItem } from '../../../../durable-objects/org/crm/line-items'
import type { Service } from '../../../../durable-objects/org/crm/services'
import { unwrap } from '../../../../durable-objects/org/result'
import type { AppEnv } from '../../../env'
import type { FormErrors } from '../../../../views/fields'
import { dollarsInput } from '../../../../views/format'
import type { PanelProps } from '../../../../views/invoices/page'
import { taxLabel } from '../../../../views/invoices/sheet'
import type { LineRow } from '../../../../views/jobs/lines'
import { formStrings, ID, parseDollars } from '../forms'
import { readLines, readRows } from '../jobs/lines'
import { done, loadDoc, panelAnswer } from './panel'

/** What the editor shows beyond the saved lines: rows as typed, errors. */
type EditorState = { rows?: LineRow[]; errors?: FormErrors }

const toRow = (l: LineItem): LineRow => ({
  description: l.description,
  quantity: String(l.quantity),
  price: dollarsInput(l.unit_price_cents),
  service_id: l.service_id ?? '',
  taxable: l.taxable,
})

const BLANK: LineRow = { description: '', quantity: '1', price: '', service_id: '', taxable: true }

/** A row's quantity (empty is 1), unit price in cents and whether it is taxed; null when it cannot be read. */
function rowValue(r: LineRow) {
  const quantity = Number(r.quantity.trim() || '1')
  const price = parseDollars(r.price)
  return Number.isFinite(quantity) && quantity > 0 && price !== null
    ? { quantity, unit_price_cents: price, taxable: r.taxable }
    : null
}

/** The editor, open: the rows as typed (else the saved lines), and the subtotal, tax and total they make at the invoice's rate. */
export function invoiceEditor(
  doc: InvoiceDocument,
  services: Service[],
  state: EditorState = {},
): NonNullable<PanelProps['editor']> {
  const rows = state.rows ?? doc.invoice.line_items.map(toRow)
  const values = rows.map(rowValue)
  const money = invoiceMoney(
    values.filter((v) => v !== null),
    doc.line_tax_rate,
  )
  return {
    rows: rows.length > 0 ? rows : [BLANK],
    amounts: (rows.length > 0 ? values : [null]).map((v) => (v ? invoiceMoney([v], 0).subtotal_cents : null)),
    subtotalCents: money.subtotal_cents,
    totals: [
      { label: taxLabel(doc.line_tax_rate), cents: money.tax_cents, testId: 'lines-tax' },
      { label: 'Total', cents: money.total_cents, testId: 'lines-total' },
    ],
    unsaved: state.rows !== undefined,
    locked: false,
    services,
    errors: state.errors ?? {},
  }
}

/** The panel with the editor open (for htmx), else the whole page; `status` 422 or 409 when saving failed. */
async function editorAnswer(
  c: Context<AppEnv>,
  doc: InvoiceDocument,
  services: Service[],
  state: EditorState,
  status: 200 | 409 | 422 = 200,
) {
  return panelAnswer(c, doc.invoice.id, status, { doc, editor: invoiceEditor(doc, services, state) })
}

export const invoiceLinesPages = new Hono<AppEnv>().post(`/:id{${ID}}/lines`, async (c) => {
  const id = c.req.param('id')
  const org = c.get('org')
  const [doc, values, services] = await Promise.all([loadDoc(c, id), formStrings(c), org.listServices()])
  const rows = readRows(values)
  const action = values['do'] ?? 'save'
  if (action === 'add') return editorAnswer(c, doc, services, { rows: [...rows, BLANK] })
  if (action === 'add_service') {
    const service = services.find((s) => s.id === values['add_service_id'])
    if (!service) return editorAnswer(c, doc, services, { rows, errors: { form: 'Choose a service to add.' } }, 422)
    const row = {
      ...BLANK,
      description: service.name,
      price: dollarsInput(service.price_cents ?? 0),
      service_id: service.id,
    }
    return editorAnswer(c, doc, services, { rows: [...rows, row] })
  }
  if (action.startsWith('remove_')) {
    const gone = Number(action.slice('remove_'.length))
    return editorAnswer(c, doc, services, { rows: rows.filter((_, i) => i !== gone) })
  }
  const { items, errors } = readLines(rows)
  if (items.length === 0) errors['form'] ??= 'An invoice needs at least one line.'
  else if (errors['form']) errors['form'] = 'An invoice takes at most 100 lines.'
  if (Object.keys(errors).length > 0) return editorAnswer(c, doc, services, { rows, errors }, 422)
  const result = await org.updateInvoice(id, { line_items: items })
  if (!result.ok) {
    if (result.error.status === 404 && !result.error.message.includes('service')) unwrap(result)
    const form =
      result.error.status === 404
        ? 'A service on these lines is not one of yours. Pick it again.'
        : result.error.message
    return editorAnswer(c, doc, services, { rows, errors: { form } }, result.error.status === 409 ? 409 : 422)
  }
  return done(c, id, 'lines')
})
