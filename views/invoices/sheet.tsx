/** An invoice's lines and totals as read (staff page, printout, portal): subtotal, tax at its rate, total, paid, balance. */
import type { Invoice } from '../../durable-objects/org/crm/invoices'
import type { LineItem } from '../../durable-objects/org/crm/line-items'
import { invoiceMoney } from '../../durable-objects/org/crm/invoice-lines'
import { money } from '../format'

/** "Tax (10.25%)". */
export const taxLabel = (rate: number | null) => `Tax (${rate ?? 0}%)`

/** A quantity as typed: 1, 1.5, 0.25. */
export const quantity = (q: number) => String(Math.round(q * 1_000_000) / 1_000_000)

/** A line's amount, quantity × unit price rounded half up as the invoice rounds it. */
export const lineAmount = (l: Pick<LineItem, 'quantity' | 'unit_price_cents'>) => invoiceMoney([l], 0).subtotal_cents

/** The money rows of an invoice: with lines, subtotal and tax before the total; then paid and the balance when asked. */
export function totalRows(
  i: Pick<Invoice, 'subtotal_cents' | 'tax_cents' | 'tax_rate' | 'total_cents' | 'paid_cents'>,
  withPaid: boolean,
): Array<{ label: string; cents: number; testId: string }> {
  return [
    ...(i.subtotal_cents === null
      ? []
      : [
          { label: 'Subtotal', cents: i.subtotal_cents, testId: 'invoice-subtotal' },
          { label: taxLabel(i.tax_rate), cents: i.tax_cents, testId: 'invoice-tax' },
        ]),
    { label: 'Total', cents: i.total_cents, testId: 'invoice-total' },
    ...(withPaid
      ? [
          { label: 'Paid', cents: i.paid_cents, testId: 'invoice-paid-row' },
          { label: 'Balance', cents: Math.max(0, i.total_cents - i.paid_cents), testId: 'invoice-balance-row' },
        ]
      : []),
  ]
}

/** The lines with quantity, unit price and amount, and the totals under them; an invoice from a total alone shows its total. */
export function LinesSheet({
  lines,
  invoice,
  withPaid = true,
  showTaxable = false,
}: {
  lines: LineItem[]
  invoice: Pick<Invoice, 'subtotal_cents' | 'tax_cents' | 'tax_rate' | 'total_cents' | 'paid_cents'>
  withPaid?: boolean
  /** Staff see which lines are taxed. */
  showTaxable?: boolean
}) {
  const span = showTaxable ? 4 : 3
  return (
    <table class="table lines invoice-lines" data-testid="invoice-lines">
      <thead>
        <tr>
          <th>Description</th>
          <th class="num">Qty</th>
          <th class="num">Unit price</th>
          {showTaxable ? <th>Taxable</th> : null}
          <th class="num">Amount</th>
        </tr>
      </thead>
      <tbody>
        {lines.length === 0 ? (
          <tr class="empty-row">
            <td colspan={span + 1}>Billed as a total, without lines.</td>
          </tr>
        ) : null}
        {lines.map((l) => (
          <tr>
            <td data-label="Description">{l.description}</td>
            <td data-label="Qty" class="num">
              {quantity(l.quantity)}
            </td>
            <td data-label="Unit price" class="num">
              {money(l.unit_price_cents)}
            </td>
            {showTaxable ? <td data-label="Taxable">{l.taxable ? 'Yes' : 'No'}</td> : null}
            <td data-label="Amount" class="num">
              {money(lineAmount(l))}
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        {totalRows(invoice, withPaid).map((t) => (
          <tr class={t.label === 'Total' || t.label === 'Balance' ? 'strong' : undefined}>
            <th colspan={span}>{t.label}</th>
            <td class="num" data-testid={t.testId}>
              {money(t.cents)}
            </td>
          </tr>
        ))}
      </tfoot>
    </table>
  )
}
