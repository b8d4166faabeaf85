/** Settings › Export your data: everything the business holds, as one JSON file or a zip of spreadsheets (owners and admins). */

/** Two plain download links; no JavaScript needed. */
export function ExportSection() {
  return (
    <section class="card" id="export">
      <h2>Export your data</h2>
      <p class="muted">
        Everything this business holds: clients with their contact details and addresses, jobs, invoices, payments,
        messages, journeys, consent and settings. The JSON file can be imported into a new HomeBase business; the zip
        has one spreadsheet (CSV) per table.
      </p>
      <div class="button-row">
        <a class="button" href="/app/settings/export.json" download data-testid="export-json">
          Download JSON
        </a>
        <a class="button" href="/app/settings/export.zip" download data-testid="export-zip">
          Download CSV files (zip)
        </a>
      </div>
    </section>
  )
}
