/**
 * The portal's invoice, opened from a pay link: what is owed and the Pay button, then its lines and
 * totals as the business's page shows them, and "Print or save as PDF" (portal.css's print rules
 * leave the bar and buttons off the paper).
 */
import type { PortalInvoiceLines } from '../../durable-objects/org/crm/invoice-detail'
import type { PortalBusiness, PortalInvoice } from '../../durable-objects/org/portal/view'
import { money, phone } from '../format'
import { lineAmount, quantity, totalRows } from '../invoices/sheet'
import { PortalLayout } from './layout'
import { InvoiceCard, type FormTarget } from './provider'

// portal.css has no tables: a phone-first list, each amount on the right of its line.
const ROW = 'display:flex;justify-content:space-between;gap:1rem;padding:.35rem 0'
const LIST = 'list-style:none;padding:0;margin:.6rem 0 0'

/** The pay link's page: the invoice with its Pay button, and its lines and totals. */
export function PortalInvoicePage({
  business,
  invoice,
  lines,
  target,
  notice,
}: {
  business: PortalBusiness
  invoice: PortalInvoice
  lines: PortalInvoiceLines | null
  target: FormTarget
  notice?: string | undefined
}) {
  return (
    <PortalLayout title={`Invoice from ${business.name}`}>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <h1>{business.name}</h1>
      {business.phone ? <p class="print-only">{phone(business.phone)}</p> : null}
      <InvoiceCard invoice={invoice} target={target} />
      {lines ? <InvoiceLines lines={lines} /> : null}
      <PrintButton />
    </PortalLayout>
  )
}

/**
 * The browser's print dialog, where "Save as PDF" is one of the printers. It needs JavaScript
 * (/portal-print.js, a file like every script we serve), so it stays hidden until that script shows it.
 */
function PrintButton() {
  return (
    <p class="no-print">
      <button type="button" class="link" data-print data-testid="portal-print" hidden>
        Print or save as PDF
      </button>
      <script src="/portal-print.js" defer></script>
    </p>
  )
}

/** The lines (quantity × unit price, amount) and the totals under them: subtotal, tax at its rate, total, paid, to pay. */
export function InvoiceLines({ lines }: { lines: PortalInvoiceLines }) {
  const rows = totalRows(lines, lines.paid_cents > 0).map((r) =>
    r.label === 'Balance' ? { ...r, label: 'To pay' } : r,
  )
  return (
    <section class="item" data-testid="portal-invoice-lines" aria-label="What the invoice is for">
      {lines.line_items.length > 0 ? (
        <ul style={LIST}>
          {lines.line_items.map((l) => (
            <li style={ROW}>
              <span>
                {l.description}
                <br />
                <span class="muted">
                  {quantity(l.quantity)} × {money(l.unit_price_cents)}
                </span>
              </span>
              <span>{money(lineAmount(l))}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <ul style={`${LIST};border-top:1px solid #d0d7de`}>
        {rows.map((r) => (
          <li style={ROW}>
            <span>{r.label}</span>
            {r.label === 'Total' || r.label === 'To pay' ? (
              <strong>{money(r.cents)}</strong>
            ) : (
              <span>{money(r.cents)}</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}
