/** /app/invoices: the list with status filters, the new-invoice form, and an invoice's page with payments. */
import { zValidator } from '@hono/zod-validator'
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { Invoice, PaymentRow } from '../../../durable-objects/org/crm/invoices'
import { unwrap } from '../../../durable-objects/org/result'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { addDays, localDate } from '../../time'
import type { FormErrors, FormValues } from '../../../views/fields'
import { money } from '../../../views/format'
import {
  InvoicePage,
  InvoicePanel,
  InvoicesPage,
  NewInvoiceForm,
  NewInvoicePage,
  type InvoiceFilter,
  type InvoiceItem,
} from '../../../views/invoices'
import { fragment } from '../../../views/layout'
import { invoiceSchema, paymentSchema } from '../api/invoices'
import { dateInput, dollars, formBody, formStrings, ID, intoApi, isHtmx, optionalText, text } from './forms'
import { clientNames, pickerClients } from './lookups'

const page = (title: string) => ({ title, active: 'invoices' as const })

const listQuery = z.object({ status: z.enum(['open', 'overdue', 'paid', 'draft', 'void']).optional().catch(undefined) })

/** The form in dollars, read into the API's new invoice. */
const newInvoiceForm = intoApi(
  z.object({
    org_client_id: text(100, 'Choose a client.'),
    job_id: optionalText(100),
    amount: dollars,
    due_date: dateInput,
    notes: optionalText(5000),
  }),
  ({ amount, ...invoice }) => ({ ...invoice, total_cents: amount }),
  invoiceSchema,
)

/** A payment in dollars, read into the API's payment. */
const paymentForm = intoApi(
  z.object({ amount: dollars, method: optionalText(40) }),
  (v) => ({ amount_cents: v.amount, method: v.method }),
  paymentSchema,
)

/** The new-invoice form again, filled in, with errors beside the fields. */
async function newInvoiceInvalid(c: Context<AppEnv>, values: FormValues, errors: FormErrors) {
  const props = { clients: await pickerClients(c, values['org_client_id']), values, errors }
  c.status(422)
  return isHtmx(c)
    ? fragment(c, <NewInvoiceForm {...props} />)
    : c.render(<NewInvoicePage {...props} />, page('New invoice'))
}

/** An invoice with its client's name and payments, or a 404 for an id this organization does not hold. */
async function loadInvoice(c: Context<AppEnv>, id: string): Promise<{ item: InvoiceItem; payments: PaymentRow[] }> {
  const found = await c.get('org').getInvoice(id)
  if (!found) throw notFound('invoice')
  const names = await clientNames(c, [found.invoice.org_client_id])
  return { item: { invoice: found.invoice, clientName: names[found.invoice.org_client_id]! }, payments: found.payments }
}

/** The invoice panel after a payment attempt: a fragment for htmx, else the whole page. */
async function paymentAnswer(
  c: Context<AppEnv>,
  id: string,
  status: 200 | 409 | 422,
  extra: { notice?: string; values?: FormValues; errors?: FormErrors },
) {
  const { item, payments } = await loadInvoice(c, id)
  const props = { item, payments, ...extra }
  c.status(status)
  return isHtmx(c)
    ? fragment(c, <InvoicePanel {...props} />)
    : c.render(<InvoicePage {...props} />, page(`Invoice #${item.invoice.number}`))
}

export const invoicesPages = new Hono<AppEnv>()
  .get('/', zValidator('query', listQuery), async (c) => {
    const filter: InvoiceFilter = c.req.valid('query').status
    const query = filter === 'overdue' ? { overdue: true } : filter ? { status: filter } : {}
    const invoices: Invoice[] = await c.get('org').listInvoices({ ...query, limit: 200 })
    const names = await clientNames(
      c,
      invoices.map((i) => i.org_client_id),
    )
    const items = invoices.map((invoice) => ({ invoice, clientName: names[invoice.org_client_id]! }))
    return c.render(<InvoicesPage filter={filter} items={items} />, page('Invoices'))
  })
  .get('/new', async (c) => {
    const client = c.req.query('client') || undefined
    const today = localDate(new Date(), c.get('organization').timezone)
    const values = {
      org_client_id: client,
      job_id: c.req.query('job') || undefined,
      amount: c.req.query('amount') ?? '',
      due_date: addDays(today, 14),
    }
    return c.render(
      <NewInvoicePage clients={await pickerClients(c, client)} values={values} errors={{}} />,
      page('New invoice'),
    )
  })
  .post('/', formBody(newInvoiceForm, newInvoiceInvalid, { fields: { total_cents: 'amount' } }), async (c) => {
    const result = await c.get('org').createInvoice(c.req.valid('form'))
    if (!result.ok) {
      const field = result.error.message.includes('job') ? 'form' : 'org_client_id'
      return newInvoiceInvalid(c, await formStrings(c), { [field]: `${result.error.message} Choose another.` })
    }
    const url = `/app/invoices/${result.value.id}`
    if (!isHtmx(c)) return c.redirect(url, 303)
    c.header('HX-Redirect', url)
    return c.body(null, 201)
  })
  .get(`/:id{${ID}}`, async (c) => {
    const { item, payments } = await loadInvoice(c, c.req.param('id'))
    return c.render(<InvoicePage item={item} payments={payments} />, page(`Invoice #${item.invoice.number}`))
  })
  .post(
    `/:id{${ID}}/payments`,
    formBody(paymentForm, (c, values, errors) => paymentAnswer(c, c.req.param('id')!, 422, { values, errors }), {
      fields: { amount_cents: 'amount' },
    }),
    async (c) => {
      const id = c.req.param('id')
      const payment = c.req.valid('form')
      const result = await c.get('org').recordPayment(id, payment)
      if (!result.ok && result.error.status === 404) unwrap(result)
      if (!result.ok && result.error.status === 409) return paymentAnswer(c, id, 409, { notice: result.error.message })
      if (!result.ok) {
        const { item } = await loadInvoice(c, id)
        return paymentAnswer(c, id, 422, {
          values: await formStrings(c),
          errors: { amount: `That is more than the balance of ${money(item.invoice.balance_cents)}.` },
        })
      }
      if (!isHtmx(c)) return c.redirect(`/app/invoices/${id}`, 303)
      const paid = result.value.invoice.status === 'paid'
      return paymentAnswer(c, id, 200, {
        notice: `Payment of ${money(payment.amount_cents)} recorded.${paid ? ' The invoice is paid in full.' : ''}`,
      })
    },
  )
