/** An invoice as a printed page (A4 or Letter): the business's wordmark in its colour, its address, the client, the lines and totals. */
import type { InvoiceDocument } from '../../durable-objects/org/crm/invoice-detail'
import { longDate, personName, phone } from '../format'
import { Shell } from '../layout'
import { LinesSheet } from './sheet'

/** A brand colour only when it is a plain #rrggbb (it is written into the page's CSS). */
const brand = (color: string | null) => (color && /^#[0-9a-fA-F]{6}$/.test(color) ? color : '#1f6feb')

// The page is the paper: margins that fit both A4 and Letter, no screen tools on paper.
const css = (accent: string) => `
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1c2430; background: #f6f7f9; }
.tools { max-width: 50rem; margin: 1rem auto; padding: 0 1rem; display: flex; gap: 1rem; justify-content: space-between; align-items: center; }
.sheet { max-width: 50rem; margin: 0 auto 2rem; padding: 2.2rem 2.4rem; background: #fff; border: 1px solid #e2e6eb; border-top: 6px solid ${accent}; border-radius: 6px; }
.head { display: flex; justify-content: space-between; gap: 2rem; flex-wrap: wrap; }
.wordmark { font-size: 1.7rem; font-weight: 700; color: ${accent}; margin: 0 0 .3rem; letter-spacing: .01em; }
.from p, .to p, .meta p { margin: .1rem 0; }
.meta { text-align: right; }
.meta h1 { font-size: 1.5rem; margin: 0 0 .4rem; }
.muted { color: #5b6675; }
.to { margin: 1.6rem 0; }
.label { text-transform: uppercase; font-size: .75rem; letter-spacing: .06em; color: #5b6675; margin-bottom: .2rem; }
table { width: 100%; border-collapse: collapse; margin-top: .5rem; }
th, td { padding: .45rem .4rem; text-align: left; border-bottom: 1px solid #e2e6eb; vertical-align: top; }
thead th { font-size: .78rem; text-transform: uppercase; letter-spacing: .05em; color: #5b6675; border-bottom: 2px solid #1c2430; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tfoot th { text-align: right; font-weight: normal; border-bottom: 0; }
tfoot td { border-bottom: 0; }
tfoot tr.strong th, tfoot tr.strong td { font-weight: 700; border-top: 2px solid #1c2430; }
.notes { margin-top: 1.6rem; white-space: pre-line; }
.paid { display: inline-block; border: 2px solid #1a7f37; color: #1a7f37; padding: .1rem .6rem; border-radius: 4px; font-weight: 700; }
@media (max-width: 600px) { .sheet { padding: 1.2rem; } .meta { text-align: left; } }
@media print {
  @page { size: auto; margin: 14mm 12mm; }
  body { background: #fff; font-size: 12pt; }
  .tools { display: none; }
  .sheet { border: 0; border-top: 6px solid ${accent}; margin: 0; max-width: none; padding: 0; }
  tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
`

/** The printable invoice; print it from the browser. */
export function InvoicePrintPage({ doc, tz }: { doc: InvoiceDocument; tz: string }) {
  const { invoice: i, business: b, client } = doc
  const issued = new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(new Date(i.created_at))
  return (
    <Shell title={`Invoice #${i.number} · ${b.name}`} stylesheet={null} css={css(brand(b.brand_color))} main={false}>
      <div class="tools">
        <a href={`/app/invoices/${i.id}`}>← Invoice #{i.number}</a>
        <button type="button" onclick="window.print()">
          Print
        </button>
      </div>
      <article class="sheet" data-testid="invoice-sheet">
        <header class="head">
          <div class="from">
            <p class="wordmark" data-testid="wordmark">
              {b.logo_text || b.name}
            </p>
            {b.logo_text ? <p>{b.name}</p> : null}
            {b.address.map((line) => (
              <p class="muted">{line}</p>
            ))}
            {b.phone ? <p class="muted">{phone(b.phone)}</p> : null}
          </div>
          <div class="meta">
            <h1>Invoice #{i.number}</h1>
            <p>Issued {longDate(issued)}</p>
            <p>Due {longDate(i.due_date)}</p>
            {i.status === 'paid' ? <p class="paid">Paid</p> : null}
            {i.status === 'void' ? <p class="paid">Void</p> : null}
          </div>
        </header>
        <section class="to">
          <p class="label">Bill to</p>
          {doc.account ? (
            <>
              <p>
                <strong data-testid="billed-account">{doc.account.name}</strong>
              </p>
              {doc.account.billing_address.map((line) => (
                <p>{line}</p>
              ))}
              <p>Attn: {personName(client)}</p>
            </>
          ) : (
            <p>
              <strong>{personName(client)}</strong>
            </p>
          )}
          {client.address && !doc.account?.billing_address.length ? <p>{client.address}</p> : null}
          {client.email ? <p class="muted">{client.email}</p> : null}
          {client.phone ? <p class="muted">{phone(client.phone)}</p> : null}
        </section>
        <LinesSheet lines={i.line_items} invoice={i} />
        {i.notes ? <p class="notes">{i.notes}</p> : null}
        {b.payment_instructions && i.status === 'open' ? (
          <section class="notes">
            <p class="label">How to pay</p>
            <p>{b.payment_instructions}</p>
          </section>
        ) : null}
      </article>
    </Shell>
  )
}
