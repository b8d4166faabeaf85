/** Importing clients from a CSV file: the upload form, the mapping step (views/imports/mapping.tsx), the progress bar that polls, and the summary. */
import type { Child } from 'hono/jsx'
import { ERRORS_SHOWN, type ImportState } from '../durable-objects/org/crm/imports'
import { FIELD_LABELS } from './imports/mapping'
import { CsrfField } from './layout'
import type { ImportField } from '../src/imports/columns'

const COLUMNS: Array<[string, string]> = [
  ['Name', 'first name and last name, or one full name column (client name, display name, company name)'],
  ['Email', 'email, e-mail or email address'],
  ['Phone', 'phone, mobile, cell, main, home or work phone; numbers without a country code are read in your country'],
  [
    'Address',
    'address (or street), address 2, city, state (or province), zip (or postal code), country; a service address before a billing one',
  ],
  ['Tags', 'separated by commas or semicolons inside the cell'],
  ['Status', 'lead, active or inactive (active when empty)'],
  ['Other', 'external id (or id), notes'],
]

/** The upload page; `area` replaces the upload form (the mapping step without htmx). */
export function ImportPage({ error, area }: { error?: string; area?: Child }) {
  return (
    <>
      <p>
        <a href="/app/clients">← Clients</a>
      </p>
      <h1>Import clients</h1>
      <div id="import-area">{area ?? <UploadForm error={error} />}</div>
      <section class="card">
        <h2>Columns we read</h2>
        <p class="muted">
          The first line names the columns, in any order and any case; the client exports of Jobber, Housecall Pro and
          ServiceTitan are read as they are. You check each column and the first rows before anything is imported. A
          value that does not hold up (an email that is not one, a half address) is left out and listed, and the rest of
          its row is imported. People already in your clients (same email or phone) are kept as they are, so a file can
          be imported again safely.
        </p>
        <dl class="facts">
          {COLUMNS.map(([name, what]) => (
            <>
              <dt>{name}</dt>
              <dd>{what}</dd>
            </>
          ))}
        </dl>
      </section>
    </>
  )
}

/** The form; after a failed upload it comes back with the problem beside the file field. */
export function UploadForm({ error }: { error?: string }) {
  return (
    <form
      class="card"
      method="post"
      action="/app/clients/import"
      enctype="multipart/form-data"
      hx-post="/app/clients/import"
      hx-encoding="multipart/form-data"
      hx-target="#import-area"
    >
      <CsrfField />
      <input type="hidden" name="step" value="map" />
      <div class={error ? 'field has-error' : 'field'}>
        <label for="import-file">CSV file</label>
        <input
          id="import-file"
          name="file"
          type="file"
          accept=".csv,text/csv"
          required
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'import-file-error' : undefined}
        />
        {error ? (
          <p class="error" id="import-file-error">
            {error}
          </p>
        ) : null}
      </div>
      <button type="submit">Next: check the columns</button>
    </form>
  )
}

/** The page of one import, reached after an upload without htmx or by reloading. */
export function ImportStatusPage({ state }: { state: ImportState }) {
  return (
    <>
      <p>
        <a href="/app/clients">← Clients</a>
      </p>
      <h1>Import clients</h1>
      <div id="import-area">
        <ImportProgress state={state} />
      </div>
    </>
  )
}

/** While the import runs, a progress bar that asks again every half second; once it ends, the summary. */
export function ImportProgress({ state }: { state: ImportState }) {
  if (state.status === 'done' || state.status === 'failed') return <ImportSummary state={state} />
  const processed = state.done + state.failed
  return (
    <section
      class="card"
      id="import-progress"
      aria-live="polite"
      hx-get={`/app/clients/import/${state.import_id}/progress`}
      hx-trigger="load delay:500ms"
      hx-swap="outerHTML"
    >
      <h2>{state.status === 'queued' ? 'Starting the import…' : 'Importing…'}</h2>
      <progress max={state.total} value={processed} aria-label="Rows imported" style="width: 100%">
        {Math.floor((processed / state.total) * 100)}%
      </progress>
      <p class="muted" data-testid="import-count">
        {processed} of {state.total} rows{state.failed > 0 ? ` · ${state.failed} with problems` : ''}
      </p>
    </section>
  )
}

function ImportSummary({ state }: { state: ImportState }) {
  const existing = state.done - state.created
  return (
    <section class="card" id="import-progress" aria-live="polite" data-status={state.status}>
      <h2>{state.status === 'done' ? 'Import finished' : 'Import stopped with errors'}</h2>
      <progress max={state.total} value={state.done + state.failed} aria-label="Rows imported" style="width: 100%" />
      <p data-testid="import-summary">
        {state.created} new {plural(state.created, 'client')} · {existing} already{' '}
        {existing === 1 ? 'a client' : 'clients'} · {state.imported_with_problems} imported without a field that did not
        hold up · {state.failed} {plural(state.failed, 'row')} not imported
      </p>
      {state.errors.length > 0 ? (
        <>
          <h3>Rows to look at</h3>
          <p class="muted small">
            Rows count from 1 after the header; blank rows are skipped. Fix them and import the file again: the rows
            already imported are not duplicated, and a fixed value is added to the client.
          </p>
          <table class="table">
            <thead>
              <tr>
                <th>Row</th>
                <th>What happened</th>
                <th>Problem</th>
              </tr>
            </thead>
            <tbody>
              {state.errors.map((e) => (
                <tr data-imported={String(e.imported)}>
                  <td data-label="Row">{e.row}</td>
                  <td data-label="What happened">
                    {e.imported
                      ? `Imported without ${[...new Set(e.fields.map(fieldWord))].join(', ')}`
                      : 'Not imported'}
                  </td>
                  <td data-label="Problem">{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {state.failed + state.imported_with_problems > state.errors.length ? (
            <p class="muted small">
              Showing the first {ERRORS_SHOWN} of {state.failed + state.imported_with_problems}.
            </p>
          ) : null}
        </>
      ) : null}
      <p>
        <a href="/app/clients">See your clients</a> · <a href="/app/clients/import">Import another file</a>
      </p>
    </section>
  )
}

const plural = (n: number, word: string) => (n === 1 ? word : `${word}s`)

/** A field left out, in the summary's words: a half address is left out whole. */
function fieldWord(field: string): string {
  if (field.startsWith('address') || field === 'city' || field === 'state' || field === 'postal') return 'the address'
  return (FIELD_LABELS[field as ImportField] ?? field).toLowerCase()
}
