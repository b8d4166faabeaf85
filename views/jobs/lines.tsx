/**
 * Line items edited as rows (add, add a service, remove), with their subtotal: a job's (what was
 * done, and the invoice it starts) and, through the same editor, an invoice's.
 */
import type { Child } from 'hono/jsx'
import type { Service } from '../../durable-objects/org/crm/services'
import { type FormErrors, FormAlert } from '../fields'
import { money } from '../format'
import { CsrfField } from '../layout'

/** One row of the editor as typed: strings, so a row that fails comes back as it was. */
export type LineRow = { description: string; quantity: string; price: string; service_id: string; taxable: boolean }

export type LinesProps = {
  jobId: string
  rows: LineRow[]
  /** The subtotal of the rows shown (saved, or as typed when `unsaved`). */
  subtotalCents: number
  /** The rows differ from what is saved: say so beside the Save button. */
  unsaved: boolean
  /** A cancelled job's lines are only shown. */
  locked: boolean
  services: Service[]
  /** The service "Add service" offers first (the job's own). */
  addServiceId?: string | null | undefined
  errors: FormErrors
  notice?: string | undefined
  /** "Create invoice" with the total filled in; absent when the job cannot be invoiced. */
  invoiceHref?: string | undefined
  /** Each row's amount, in cents, or null when its quantity or price cannot be read. */
  amounts: Array<number | null>
}

/** What the editor needs beyond a job's lines: where it posts, what htmx swaps, and what shows under it. */
export type LinesEditorProps = Omit<LinesProps, 'jobId' | 'invoiceHref'> & {
  /** The card's id. */
  id: string
  /** Where every button posts. */
  action: string
  /** What htmx swaps with the answer (a CSS selector). */
  target: string
  /** Rows under the subtotal (an invoice's tax and total). */
  totals?: Array<{ label: string; cents: number; testId?: string }>
  /** Under the editor: "Create invoice", "Cancel". */
  children?: Child
}

/** The line-items card of a job; htmx swaps just this card. */
export function LineItemsCard(p: LinesProps) {
  const { jobId, invoiceHref, ...rest } = p
  return (
    <LinesEditor {...rest} id="job-lines" action={`/app/jobs/${jobId}/lines`} target="#job-lines">
      {invoiceHref ? (
        <p>
          <a class="button" href={invoiceHref} data-testid="invoice-from-lines">
            Create invoice
          </a>
        </p>
      ) : null}
    </LinesEditor>
  )
}

/** The editor: every button posts the rows, so it works without JavaScript and htmx swaps `target`. */
export function LinesEditor(p: LinesEditorProps) {
  const { action } = p
  return (
    <section id={p.id} class="card">
      <h2>Line items</h2>
      {p.notice ? (
        <p class="notice" role="status">
          {p.notice}
        </p>
      ) : null}
      <FormAlert errors={p.errors} />
      {p.locked ? (
        <LinesTable {...p} />
      ) : (
        <form method="post" action={action} hx-post={action} hx-target={p.target} hx-swap="outerHTML" novalidate>
          <CsrfField />
          {/* Enter in a field saves: the first submit button of a form is the one Enter presses. */}
          <button type="submit" name="do" value="save" class="visually-hidden" tabindex={-1}>
            Save lines
          </button>
          <input type="hidden" name="rows" value={String(p.rows.length)} />
          <LinesTable {...p} />
          <div class="lines-add">
            <button type="submit" name="do" value="add">
              Add line
            </button>
            {p.services.length > 0 ? (
              <span class="lines-service">
                <label for="add-service" class="visually-hidden">
                  Service to add
                </label>
                <select id="add-service" name="add_service_id">
                  {p.services.map((s) => (
                    <option value={s.id} selected={s.id === p.addServiceId}>
                      {s.name}
                      {s.price_cents !== null ? ` · ${money(s.price_cents)}` : ''}
                    </option>
                  ))}
                </select>
                <button type="submit" name="do" value="add_service">
                  Add service
                </button>
              </span>
            ) : null}
          </div>
          <div class="form-actions">
            <button type="submit" name="do" value="save" class="primary">
              Save lines
            </button>
            {p.unsaved ? <span class="muted small">Not saved yet.</span> : null}
          </div>
        </form>
      )}
      {p.children}
    </section>
  )
}

/** The lines as a table: inputs named line_<field>_<n> for every form that edits lines (jobs, invoices, estimates), or plain cells when locked. */
export function LinesTable(
  p: Pick<LinesEditorProps, 'rows' | 'amounts' | 'errors'> &
    Partial<Pick<LinesEditorProps, 'locked' | 'subtotalCents' | 'totals'>>,
) {
  const field = (name: string, i: number) => `line_${name}_${i}`
  return (
    <table class="table lines">
      <thead>
        <tr>
          <th>Description</th>
          <th class="num">Qty</th>
          <th class="num">Unit price</th>
          <th>Taxable</th>
          <th class="num">Amount</th>
          {p.locked ? null : (
            <th>
              <span class="visually-hidden">Remove</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {p.rows.length === 0 ? (
          <tr class="empty-row">
            <td colspan={6}>No lines yet.</td>
          </tr>
        ) : null}
        {p.rows.map((r, i) =>
          p.locked ? (
            <tr>
              <td>{r.description}</td>
              <td class="num">{r.quantity}</td>
              <td class="num">${r.price}</td>
              <td>{r.taxable ? 'Yes' : 'No'}</td>
              <td class="num">{p.amounts[i] === null ? '—' : money(p.amounts[i]!)}</td>
            </tr>
          ) : (
            <tr data-line={String(i)}>
              <td data-label="Description">
                <input
                  name={field('description', i)}
                  value={r.description}
                  maxlength={200}
                  aria-label={`Line ${i + 1}: description`}
                  aria-invalid={p.errors[field('description', i)] ? 'true' : undefined}
                />
                <input type="hidden" name={field('service', i)} value={r.service_id} />
                <LineError errors={p.errors} name={field('description', i)} />
              </td>
              <td data-label="Qty" class="num">
                <input
                  name={field('quantity', i)}
                  value={r.quantity}
                  inputmode="decimal"
                  size={5}
                  aria-label={`Line ${i + 1}: quantity`}
                  aria-invalid={p.errors[field('quantity', i)] ? 'true' : undefined}
                />
                <LineError errors={p.errors} name={field('quantity', i)} />
              </td>
              <td data-label="Unit price ($)" class="num">
                <input
                  name={field('price', i)}
                  value={r.price}
                  inputmode="decimal"
                  size={8}
                  aria-label={`Line ${i + 1}: unit price in dollars`}
                  aria-invalid={p.errors[field('price', i)] ? 'true' : undefined}
                />
                <LineError errors={p.errors} name={field('price', i)} />
              </td>
              <td data-label="Taxable">
                <input
                  type="checkbox"
                  name={field('taxable', i)}
                  value="1"
                  checked={r.taxable}
                  aria-label={`Line ${i + 1}: taxable`}
                />
              </td>
              <td data-label="Amount" class="num">
                {p.amounts[i] === null ? '—' : money(p.amounts[i]!)}
              </td>
              <td>
                <button type="submit" name="do" value={`remove_${i}`} class="link" aria-label={`Remove line ${i + 1}`}>
                  Remove
                </button>
              </td>
            </tr>
          ),
        )}
      </tbody>
      {/* A form that shows its totals elsewhere (the new estimate's, swapped as one types) leaves the foot out. */}
      {p.subtotalCents === undefined ? null : (
        <tfoot>
          {[{ label: 'Subtotal', cents: p.subtotalCents, testId: 'lines-subtotal' }, ...(p.totals ?? [])].map((t) => (
            <tr>
              <th colspan={4}>{t.label}</th>
              <td class="num strong" data-testid={t.testId}>
                {money(t.cents)}
              </td>
              {p.locked ? null : <td></td>}
            </tr>
          ))}
        </tfoot>
      )}
    </table>
  )
}

function LineError({ errors, name }: { errors: FormErrors; name: string }) {
  return errors[name] ? <p class="error">{errors[name]}</p> : null
}
