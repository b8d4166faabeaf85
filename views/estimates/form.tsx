/**
 * The new-estimate form: whom it is for (a lead, or a client picked), its lines typed or added
 * from services, the subtotal, tax and total (recomputed by every button without JavaScript, and
 * as you type with htmx), the last day it stands and notes for the homeowner.
 */
import type { ClientRow } from '../../durable-objects/org/crm/clients'
import type { Service } from '../../durable-objects/org/crm/services'
import { ClientPicker } from '../clients/picker'
import { FormAlert, TextareaField, type FormErrors, type FormValues } from '../fields'
import { money } from '../format'
import { taxLabel } from '../invoices/sheet'
import { type LineRow, LinesTable } from '../jobs/lines'
import { CsrfField, Field } from '../layout'

/** The money a form's rows make at the rate the estimate will have. */
export type FormTotals = { subtotal_cents: number; tax_cents: number; total_cents: number; rate: number }

export type NewEstimateProps = {
  /** The lead it is for (its name shown, its id posted); else a client is picked. */
  lead?: { id: string; name: string } | undefined
  clients: ClientRow[]
  services: Service[]
  rows: LineRow[]
  /** Each row's amount, or null when its quantity or price cannot be read. */
  amounts: Array<number | null>
  totals: FormTotals
  values: FormValues
  errors: FormErrors
}

/** The new-estimate page around its form. */
export function NewEstimatePage(props: NewEstimateProps) {
  return (
    <>
      <p class="crumbs">
        <a href="/app/estimates">Estimates</a> / New
      </p>
      <h1>New estimate</h1>
      <NewEstimateForm {...props} />
    </>
  )
}

/** Subtotal, tax and total; htmx asks for them again as the lines are typed (the newest request wins). */
export function EstimateTotals({ totals }: { totals: FormTotals }) {
  return (
    <dl
      class="facts"
      id="estimate-totals"
      hx-post="/app/estimates/totals"
      hx-trigger="input from:'closest form' delay:300ms, change from:'closest form'"
      hx-include="closest form"
      hx-sync="replace"
      hx-target="this"
      hx-swap="innerHTML"
      aria-live="polite"
    >
      <TotalsRows totals={totals} />
    </dl>
  )
}

/** The rows of the totals: what htmx swaps into them. */
export function TotalsRows({ totals }: { totals: FormTotals }) {
  return (
    <>
      <dt>Subtotal</dt>
      <dd data-testid="estimate-subtotal">{money(totals.subtotal_cents)}</dd>
      <dt>{taxLabel(totals.rate)}</dt>
      <dd data-testid="estimate-tax">{money(totals.tax_cents)}</dd>
      <dt>Total</dt>
      <dd data-testid="estimate-total">
        <strong>{money(totals.total_cents)}</strong>
      </dd>
    </>
  )
}

/** The form; every button posts it (htmx swaps it in place), and a refused one comes back filled in with its errors. */
export function NewEstimateForm(p: NewEstimateProps) {
  const v = p.values
  const e = p.errors
  return (
    <form
      id="new-estimate"
      class="card form-card"
      method="post"
      action="/app/estimates"
      hx-post="/app/estimates"
      hx-target="this"
      hx-swap="outerHTML"
      novalidate
    >
      <CsrfField />
      {/* Enter in a field creates the estimate: the first submit button of a form is the one Enter presses. */}
      <button type="submit" name="do" value="save" class="visually-hidden" tabindex={-1}>
        Create estimate
      </button>
      <FormAlert errors={e} />
      {p.lead ? (
        <p>
          <input type="hidden" name="lead_id" value={p.lead.id} />
          For the lead{' '}
          <a href={`/app/leads/${p.lead.id}`} data-testid="estimate-lead">
            {p.lead.name}
          </a>
        </p>
      ) : (
        <ClientPicker clients={p.clients} values={v} errors={e} allowNew={false} />
      )}
      <fieldset>
        <legend>Lines</legend>
        <input type="hidden" name="rows" value={String(p.rows.length)} />
        <LinesTable rows={p.rows} amounts={p.amounts} errors={e} />
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
                  <option value={s.id} selected={s.id === v['add_service_id']}>
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
        <EstimateTotals totals={p.totals} />
      </fieldset>
      <div class="cols-2">
        <Field
          label="Valid until"
          name="valid_until"
          type="date"
          value={v['valid_until']}
          error={e['valid_until']}
          required
        />
      </div>
      <TextareaField label="Notes for the homeowner" name="notes" value={v['notes']} error={e['notes']} rows={3} />
      <div class="form-actions">
        <button type="submit" name="do" value="save" class="primary">
          Create estimate
        </button>
        <button type="submit" name="do" value="recalc">
          Update totals
        </button>
        <a href="/app/estimates" class="button">
          Back to estimates
        </a>
      </div>
    </form>
  )
}
