/**
 * The mapping step of an import: each column of the file with the field it fills (changeable), and
 * the first rows as they will be imported, before anything is written. The file's text rides along
 * in the form, so the step needs no storage and works without JavaScript.
 */
import type { ImportField } from '../../src/imports/columns'
import { IMPORT_FIELDS } from '../../src/imports/columns'
import type { ImportPreview, RowPreview } from '../../src/imports/preview'
import { personName, phone } from '../format'
import { CsrfField } from '../layout'

/** What each field is called on the page. */
export const FIELD_LABELS: Record<ImportField, string> = {
  first_name: 'First name',
  last_name: 'Last name',
  name: 'Full name',
  email: 'Email',
  phone: 'Phone',
  address1: 'Street',
  address2: 'Street line 2',
  city: 'City',
  state: 'State',
  postal: 'ZIP / postal code',
  country: 'Country',
  tags: 'Tags',
  status: 'Status',
  external_id: 'External id',
  notes: 'Notes',
}

type Props = { preview: ImportPreview; text: string; error?: string }

/** The form of the mapping step; changing a column asks for the preview again (htmx), or "Update the preview" does. */
export function MappingForm({ preview, text, error }: Props) {
  const problem = error ?? preview.problem
  return (
    <form
      class="card"
      id="import-mapping"
      method="post"
      action="/app/clients/import"
      enctype="multipart/form-data"
      hx-post="/app/clients/import"
      hx-trigger="submit, change"
      hx-target="#import-area"
    >
      <CsrfField />
      <input type="hidden" name="csv" value={text} />
      <h2>Check the columns</h2>
      <p class="muted">
        {preview.total} {preview.total === 1 ? 'row' : 'rows'} in the file. Each column and what it fills in: change any
        we guessed wrong. Nothing is imported until you press Import.
      </p>
      {problem ? (
        <p class="alert" role="alert" data-testid="mapping-problem">
          {problem}
        </p>
      ) : null}
      <table class="table plain" data-testid="import-columns">
        <thead>
          <tr>
            <th>Column in your file</th>
            <th>Example</th>
            <th>Imports as</th>
          </tr>
        </thead>
        <tbody>
          {preview.columns.map((c) => (
            <tr>
              <td data-label="Column">
                <label for={`column-${c.index}`}>{c.header || `Column ${c.index + 1}`}</label>
              </td>
              <td data-label="Example" class="muted small">
                {c.samples.slice(0, 2).join(' · ') || '(empty)'}
              </td>
              <td data-label="Imports as">
                <select id={`column-${c.index}`} name={`column_${c.index}`}>
                  <option value="" selected={c.field === null}>
                    Leave out
                  </option>
                  {IMPORT_FIELDS.map((f) => (
                    <option value={f} selected={c.field === f}>
                      {FIELD_LABELS[f]}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview.rows.length > 0 ? <RowsPreview rows={preview.rows} /> : null}
      <div class="button-row">
        <button type="submit" name="step" value="map">
          Update the preview
        </button>
        <button type="submit" name="step" value="import" class="primary" disabled={problem ? true : undefined}>
          Import {preview.total} {preview.total === 1 ? 'row' : 'rows'}
        </button>
        <a class="button" href="/app/clients/import">
          Choose another file
        </a>
      </div>
    </form>
  )
}

/** The first rows as they will be imported: what each gives, and what is left out and why. */
function RowsPreview({ rows }: { rows: RowPreview[] }) {
  return (
    <>
      <h3>The first {rows.length} rows as they will be imported</h3>
      <table class="table plain" data-testid="import-preview">
        <thead>
          <tr>
            <th>Row</th>
            <th>Client</th>
            <th>Email</th>
            <th>Phone</th>
            <th>Address</th>
            <th>Left out</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const c = r.client
            if (!c)
              return (
                <tr data-row={r.row}>
                  <td data-label="Row">{r.row}</td>
                  <td data-label="Client" colspan={5} class="error">
                    Skipped: {r.skipped}
                  </td>
                </tr>
              )
            const a = c.address
            return (
              <tr data-row={r.row}>
                <td data-label="Row">{r.row}</td>
                <td data-label="Client">
                  {personName({ first_name: c.first_name ?? null, last_name: c.last_name ?? null })}
                  {c.status ? <span class="muted small"> · {c.status}</span> : null}
                  {c.tags.length > 0 ? <span class="muted small"> · {c.tags.join(', ')}</span> : null}
                </td>
                <td data-label="Email">{c.email ?? '—'}</td>
                <td data-label="Phone">{c.phone ? phone(c.phone) : '—'}</td>
                <td data-label="Address">
                  {a ? `${a.address1}${a.address2 ? `, ${a.address2}` : ''}, ${a.city}, ${a.state} ${a.postal}` : '—'}
                </td>
                <td data-label="Left out" class={r.problems.length > 0 ? 'error' : 'muted'}>
                  {r.problems.map((p) => p.message).join('; ') || 'nothing'}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </>
  )
}
