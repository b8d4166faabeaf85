/**
 * /app/invoices: the list with status filters, the new-invoice form (a typed amount, or a job's
 * lines), and an invoice's page with its actions (send, void, refund, record a payment, edit its
 * lines in invoices/lines.tsx) and its printout.
 */
import { ownerOrAdmin } from '../../http/auth'
import { zValidator } from '@hono/zod-validator'
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { Invoice } from '../../../durable-objects/org/crm/invoices'
import { unwrap } from '../../../durable-objects/org/result'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { addDays, localDate } from '../../time'
import type { FormErrors, FormValues } from '../../../views/fields'
import { money } from '../../../views/format'
import { InvoicesPage, NewInvoiceForm, NewInvoicePage, type InvoiceFilter } from '../../../views/invoices'
import { InvoicePrintPage } from '../../../views/invoices/print'
import { fragment } from '../../../views/layout'
import { invoiceSchema, paymentSchema } from '../api/invoices'
import {
  checkbox,
  dateInput,
  dollars,
  formBody,
  formStrings,
  type FormRules,
  ID,
  intoApi,
  isHtmx,
  optionalDollars,
  optionalText,
  parseDollars,
  text,
} from './forms'
import { invoiceEditor, invoiceLinesPages } from './invoices/lines'
import { DONE, done, loadDoc, page, panelAnswer } from './invoices/panel'
import { clientNames, pickerClients } from './lookups'

const listQuery = z.object({ status: z.enum(['open', 'overdue', 'paid', 'draft', 'void']).optional().catch(undefined) })

/** The form read into the API's new invoice: the job's lines (copied with tax), else one line of the amount typed. */
const newInvoiceForm = intoApi(
  z.object({
    org_client_id: text(100, 'Choose a client.'),
    job_id: optionalText(100),
    from_job: checkbox,
    description: optionalText(200),
    amount: optionalDollars,
    taxable: checkbox,
    due_date: dateInput,
    notes: optionalText(5000),
  }),
  ({ amount, description, taxable, from_job, ...invoice }) =>
    from_job && invoice.job_id
      ? invoice
      : {
          ...invoice,
          line_items:
            amount === undefined
              ? undefined
              : [{ description: description ?? 'Services', quantity: 1, unit_price_cents: amount, taxable }],
        },
  invoiceSchema,
)

/** An amount is typed unless the invoice copies the job's lines, and it is more than $0. */
const amountRule: FormRules = (v) => {
  if (v['from_job']) return {}
  if (!v['amount']?.trim()) return { amount: 'Enter an amount.' }
  return parseDollars(v['amount']) === 0 ? { amount: 'Enter an amount more than $0.' } : {}
}

/** A payment in dollars, read into the API's payment. */
const paymentForm = intoApi(
  z.object({ amount: dollars, method: optionalText(40) }),
  (v) => ({ amount_cents: v.amount, method: v.method }),
  paymentSchema,
)

const sendForm = z.object({ channel: z.enum(['sms', 'email']).optional().catch(undefined) })

/** The job's lines an invoice would copy; none for no job, a job with no lines, or another business's job. */
async function linesToBill(c: Context<AppEnv>, jobId: string | undefined) {
  return jobId ? (await c.get('org').jobLineItems(jobId))?.items : undefined
}

/** The new-invoice form again, filled in, with errors beside the fields. */
async function newInvoiceInvalid(c: Context<AppEnv>, values: FormValues, errors: FormErrors) {
  const [clients, jobLines] = await Promise.all([
    pickerClients(c, values['org_client_id']),
    values['from_job'] ? linesToBill(c, values['job_id']) : undefined,
  ])
  const props = { clients, values, errors, jobLines }
  c.status(422)
  return isHtmx(c)
    ? fragment(c, <NewInvoiceForm {...props} />)
    : c.render(<NewInvoicePage {...props} />, page('New invoice'))
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
    const job = c.req.query('job') || undefined
    const today = localDate(new Date(), c.get('organization').timezone)
    const [clients, jobLines] = await Promise.all([pickerClients(c, client), linesToBill(c, job)])
    const values = {
      org_client_id: client,
      job_id: job,
      amount: c.req.query('amount') ?? '',
      taxable: '1',
      due_date: addDays(today, 14),
    }
    return c.render(
      <NewInvoicePage clients={clients} values={values} errors={{}} jobLines={jobLines} />,
      page('New invoice'),
    )
  })
  .post(
    '/',
    formBody(newInvoiceForm, newInvoiceInvalid, {
      rules: amountRule,
      fields: {
        total_cents: 'amount',
        'line_items.0.unit_price_cents': 'amount',
        'line_items.0.description': 'description',
      },
    }),
    async (c) => {
      const result = await c.get('org').createInvoice(c.req.valid('form'))
      if (!result.ok) {
        const field = result.error.message.includes('job') ? 'form' : 'org_client_id'
        return newInvoiceInvalid(c, await formStrings(c), { [field]: `${result.error.message} Choose another.` })
      }
      const url = `/app/invoices/${result.value.id}`
      if (!isHtmx(c)) return c.redirect(url, 303)
      c.header('HX-Redirect', url)
      return c.body(null, 201)
    },
  )
  .get(`/:id{${ID}}`, async (c) => {
    const doc = await loadDoc(c, c.req.param('id'))
    const unpaid = doc.invoice.status === 'open' || doc.invoice.status === 'draft'
    const editor =
      c.req.query('edit') === 'lines' && unpaid ? invoiceEditor(doc, await c.get('org').listServices()) : undefined
    // The same URL answers the panel to htmx and the page to a browser.
    c.header('Vary', 'HX-Request')
    return panelAnswer(c, doc.invoice.id, 200, { doc, editor, notice: DONE[c.req.query('done') ?? ''] })
  })
  .get(`/:id{${ID}}/print`, async (c) => {
    const doc = await loadDoc(c, c.req.param('id'))
    return c.html(<InvoicePrintPage doc={doc} tz={c.get('organization').timezone} />)
  })
  .post(
    `/:id{${ID}}/payments`,
    formBody(paymentForm, (c, values, errors) => panelAnswer(c, c.req.param('id')!, 422, { values, errors }), {
      fields: { amount_cents: 'amount' },
    }),
    async (c) => {
      const id = c.req.param('id')
      const payment = c.req.valid('form')
      const result = await c.get('org').recordPayment(id, payment)
      if (!result.ok && result.error.status === 404) unwrap(result)
      if (!result.ok && result.error.status === 409) return panelAnswer(c, id, 409, { error: result.error.message })
      if (!result.ok) {
        const doc = await loadDoc(c, id)
        return panelAnswer(c, id, 422, {
          doc,
          values: await formStrings(c),
          errors: { amount: `That is more than the balance of ${money(doc.invoice.balance_cents)}.` },
        })
      }
      if (!isHtmx(c)) return c.redirect(`/app/invoices/${id}`, 303)
      const paid = result.value.invoice.status === 'paid'
      return panelAnswer(c, id, 200, {
        notice: `Payment of ${money(payment.amount_cents)} recorded.${paid ? ' The invoice is paid in full.' : ''}`,
      })
    },
  )
  .post(`/:id{${ID}}/send`, zValidator('form', sendForm), async (c) => {
    const id = c.req.param('id')
    const result = await c.get('org').sendInvoice(id, c.req.valid('form').channel)
    if (!result.ok && result.error.status === 404) unwrap(result)
    if (!result.ok) return panelAnswer(c, id, 409, { error: result.error.message })
    const { channel, deferred_until } = result.value
    return done(c, id, `${deferred_until ? 'waits' : 'sent'}_${channel}`)
  })
  .post(`/:id{${ID}}/void`, ownerOrAdmin, async (c) => {
    const id = c.req.param('id')
    const result = await c.get('org').updateInvoice(id, { status: 'void' })
    if (!result.ok && result.error.status === 404) unwrap(result)
    if (!result.ok) return panelAnswer(c, id, 409, { error: result.error.message })
    return done(c, id, 'voided')
  })
  .post(`/:id{${ID}}/payments/:payment{${ID}}/refund`, ownerOrAdmin, async (c) => {
    const id = c.req.param('id')
    const doc = await loadDoc(c, id)
    // Only this invoice's own payments are refunded from its page.
    if (!doc.payments.some((p) => p.id === c.req.param('payment'))) throw notFound('payment')
    const result = await c.get('org').updatePayment(c.req.param('payment'), 'refunded')
    if (!result.ok) return panelAnswer(c, id, 409, { doc, error: result.error.message })
    return done(c, id, 'refunded')
  })
  .route('/', invoiceLinesPages)
