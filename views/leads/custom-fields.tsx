/** A lead's custom fields as name/value rows with their schema version; two empty rows add fields, a cleared name removes one. */
import type { LeadCustomFields } from '../../durable-objects/org/schema'
import { CsrfField } from '../layout'

/** Rows of [name, value] as typed, or as stored. */
export type FieldRows = Array<[string, string]>

/** Stored fields as rows: numbers and true/false as text. */
export const rowsOf = (fields: LeadCustomFields): FieldRows =>
  Object.entries(fields).map(([k, v]) => [k, v === null ? '' : String(v)])

const EMPTY_ROWS = 2

export function CustomFieldsCard(p: {
  id: string
  rows: FieldRows
  version: number
  readOnly?: boolean
  error?: string
  notice?: string
}) {
  const action = `/app/leads/${p.id}/fields`
  return (
    <section class="card" id="custom-fields" data-testid="custom-fields">
      <h2>
        Custom fields <span class="muted small">schema version {p.version}</span>
      </h2>
      {p.notice ? (
        <p class="notice" role="status">
          {p.notice}
        </p>
      ) : null}
      {p.readOnly ? (
        p.rows.length === 0 ? (
          <p class="muted">None.</p>
        ) : (
          <dl class="facts">
            {p.rows.map(([k, v]) => (
              <>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </>
            ))}
          </dl>
        )
      ) : (
        <form method="post" action={action} hx-post={action} hx-target="#custom-fields" hx-swap="outerHTML">
          <CsrfField />
          {p.error ? (
            <p class="error" role="alert">
              {p.error}
            </p>
          ) : null}
          <div class="kv-rows">
            {[...p.rows, ...Array.from({ length: EMPTY_ROWS }, (): [string, string] => ['', ''])].map(([k, v], i) => (
              <div class="kv-row">
                <input name="name" value={k} aria-label={`Field ${i + 1} name`} placeholder="Name" maxlength={64} />
                <input
                  name="value"
                  value={v}
                  aria-label={`Field ${i + 1} value`}
                  placeholder="Value"
                  maxlength={2000}
                />
              </div>
            ))}
          </div>
          <p class="hint">Clear a name to remove its field. Adding or removing a name starts a new schema version.</p>
          <button type="submit">Save fields</button>
        </form>
      )}
    </section>
  )
}
