/** The client's estimates card on the client page: loaded by htmx, with links that work without it. */

/** The card; htmx fills in the client's estimates, and without JavaScript it links to them. */
export function ClientEstimates({ clientId }: { clientId: string }) {
  return (
    <section class="card" id="client-estimates">
      <h2>Estimates</h2>
      <div hx-get={`/app/estimates/for-client/${clientId}`} hx-trigger="load" hx-target="this" hx-swap="innerHTML">
        <p class="muted">
          <a href={`/app/estimates?org_client_id=${clientId}`}>See this client's estimates</a>
        </p>
      </div>
      <p>
        <a class="button" href={`/app/estimates/new?org_client_id=${clientId}`} data-testid="new-client-estimate">
          New estimate
        </a>
      </p>
    </section>
  )
}
