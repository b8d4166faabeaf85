/** What the invoice page's actions share: reading the invoice in one call and answering with its panel (htmx) or whole page. */
import type { Context } from 'hono'
import type { InvoiceDocument } from '../../../../durable-objects/org/crm/invoice-detail'
import type { AppEnv } from '../../../env'
import { notFound } from '../../../errors'
import { InvoicePage, InvoicePanel, type PanelProps } from '../../../../views/invoices/page'
import { fragment } from '../../../../views/layout'
import { isHtmx } from '../forms'

export const page = (title: string) => ({ title, active: 'invoices' as const })

/** What a finished action says on the page it redirects to (`?done=`), without JavaScript. */
export const DONE: Record<string, string> = {
  sent_sms: 'Invoice sent by text.',
  sent_email: 'Invoice sent by email.',
  waits_sms: 'The text with the invoice goes out when the client’s quiet hours end.',
  waits_email: 'The email with the invoice goes out when the client’s quiet hours end.',
  voided: 'Invoice voided. It can no longer be paid.',
  refunded: 'Payment refunded. The invoice is open again for that amount.',
  lines: 'Lines saved.',
}

/** The invoice with its client and business, or a 404 for an id this organization does not hold. */
export async function loadDoc(c: Context<AppEnv>, id: string): Promise<InvoiceDocument> {
  const doc = await c.get('org').invoiceDocument(id)
  if (!doc) throw notFound('invoice')
  return doc
}

/** The panel after an action: a fragment for htmx, else the whole page; `doc` when already read. */
export async function panelAnswer(
  c: Context<AppEnv>,
  id: string,
  status: 200 | 409 | 422,
  said: Omit<PanelProps, 'doc'> & { doc?: InvoiceDocument },
) {
  const doc = said.doc ?? (await loadDoc(c, id))
  const props = { ...said, doc }
  c.status(status)
  return isHtmx(c)
    ? fragment(c, <InvoicePanel {...props} />)
    : c.render(<InvoicePage {...props} />, page(`Invoice #${doc.invoice.number}`))
}

/** After an action that worked: the page again with its notice, or the panel for htmx. */
export async function done(c: Context<AppEnv>, id: string, what: keyof typeof DONE) {
  if (!isHtmx(c)) return c.redirect(`/app/invoices/${id}?done=${what}`, 303)
  return panelAnswer(c, id, 200, { notice: DONE[what] })
}
