/**
 * The client's CRM card (seed 003's "Contact CRM link"): per connected CRM the linked customer,
 * how it was linked and when it last synced, "Sync now", a search to link another customer, and
 * "Unlink"; then the client's recent sync-log rows. Loaded by htmx on the client page; its own
 * page at /app/clients/{id}/crm without JavaScript.
 */
import type { ClientLink } from '../../durable-objects/org/integrations/client-links'
import type { ConnectionView } from '../../durable-objects/org/integrations/connections'
import type { SyncRow } from '../../durable-objects/org/integrations/sync-log'
import type { CustomerHit } from '../../src/integrations/customer-search'
import { stamp } from '../format'
import { PROVIDER_NAMES, SyncLog } from '../integrations/page'
import { CsrfField } from '../layout'

const LINKED_BY: Record<ClientLink['linked_by'], string> = {
  match: 'matched on phone or email',
  staff: 'linked by staff',
  webhook: 'came from the CRM',
  push: 'created in the CRM by HomeBase',
}

/** One connection's search: what was asked, and the customers found or why none could be. */
export type CrmSearch = { connectionId: string; q: string; hits: CustomerHit[] | null; error?: string }

export type CrmCardProps = {
  clientId: string
  /** The business's live CRM connections. */
  connections: ConnectionView[]
  links: ClientLink[]
  log: SyncRow[]
  tz: string
  /** What the search box starts with: the client's phone, else email, else name. */
  defaultQuery: string
  /** Whether the viewer may search the CRM and link or unlink (not techs). */
  canRelink: boolean
  notice?: string
  error?: string
  search?: CrmSearch
}

/** The card; every action re-renders it in place (htmx) or comes back to its page. */
export function CrmCard(p: CrmCardProps) {
  return (
    <section class="card" id="client-crm" data-testid="crm-card">
      <h2>CRM</h2>
      {p.notice ? (
        <p class="notice" role="status" data-testid="crm-notice">
          {p.notice}
        </p>
      ) : null}
      {p.error ? (
        <p class="alert" role="alert" data-testid="crm-error">
          {p.error}
        </p>
      ) : null}
      {p.connections.length === 0 ? (
        <p class="muted">
          No CRM is connected. <a href="/app/integrations">Connect Jobber, Housecall Pro or ServiceTitan</a>.
        </p>
      ) : (
        p.connections.map((c) => (
          <ConnectionLink
            {...p}
            connection={c}
            link={p.links.find((l) => l.connection_id === c.id) ?? null}
            search={p.search?.connectionId === c.id ? p.search : undefined}
          />
        ))
      )}
      {p.log.length > 0 ? <SyncLog rows={p.log} tz={p.tz} title="Recent CRM activity" /> : null}
    </section>
  )
}

/** One CRM's link and its actions. */
function ConnectionLink(
  p: CrmCardProps & { connection: ConnectionView; link: ClientLink | null; search: CrmSearch | undefined },
) {
  const c = p.connection
  const base = `/app/clients/${p.clientId}/crm`
  const htmx = (action: string) => ({
    'hx-post': action,
    'hx-target': '#client-crm',
    'hx-swap': 'outerHTML',
  })
  return (
    <div class="stack" data-testid={`crm-${c.provider}`}>
      <h3>{PROVIDER_NAMES[c.provider]}</h3>
      {p.link ? (
        <dl class="facts">
          <dt>Customer</dt>
          <dd>
            <code data-testid="crm-external-id">{p.link.external_id}</code>
            <div class="muted small" data-testid="crm-linked-by">
              {LINKED_BY[p.link.linked_by]}
            </div>
          </dd>
          <dt>Last sync</dt>
          <dd data-testid="crm-last-sync">{p.link.last_synced_at ? stamp(p.link.last_synced_at, p.tz) : 'not yet'}</dd>
        </dl>
      ) : (
        <p class="muted" data-testid="crm-unlinked">
          Not linked to a {PROVIDER_NAMES[c.provider]} customer.
        </p>
      )}
      {p.link ? (
        <div class="actions">
          <form method="post" action={`${base}/sync`} {...htmx(`${base}/sync`)} class="inline-form">
            <CsrfField />
            <input type="hidden" name="connection_id" value={c.id} />
            <button type="submit" data-testid="crm-sync">
              Sync now
            </button>
          </form>
          {p.canRelink ? (
            <form
              method="post"
              action={`${base}/unlink`}
              {...htmx(`${base}/unlink`)}
              hx-confirm={`Unlink this client from its ${PROVIDER_NAMES[c.provider]} customer?`}
              class="inline-form"
            >
              <CsrfField />
              <input type="hidden" name="connection_id" value={c.id} />
              <button type="submit" class="danger" data-testid="crm-unlink">
                Unlink
              </button>
            </form>
          ) : null}
        </div>
      ) : null}
      {p.canRelink ? (
        <details class="edit" open={Boolean(p.search)}>
          <summary>
            {p.link ? 'Link to a different CRM customer' : `Link to a ${PROVIDER_NAMES[c.provider]} customer`}
          </summary>
          <form
            method="get"
            action={`${base}/search`}
            hx-get={`${base}/search`}
            hx-target="#client-crm"
            hx-swap="outerHTML"
          >
            <input type="hidden" name="connection_id" value={c.id} />
            <label for={`crm-q-${c.id}`}>Phone, email or name</label>
            <input
              id={`crm-q-${c.id}`}
              name="q"
              type="search"
              value={p.search?.q ?? p.defaultQuery}
              maxlength={100}
              data-testid="crm-search-q"
            />
            <button type="submit" data-testid="crm-search">
              Search {PROVIDER_NAMES[c.provider]}
            </button>
          </form>
          {p.search ? <SearchResults {...p} connection={c} search={p.search} /> : null}
        </details>
      ) : null}
    </div>
  )
}

function SearchResults(p: CrmCardProps & { connection: ConnectionView; search: CrmSearch; link: ClientLink | null }) {
  const base = `/app/clients/${p.clientId}/crm`
  if (p.search.error)
    return (
      <p class="alert" role="alert">
        {p.search.error}
      </p>
    )
  if (!p.search.hits || p.search.hits.length === 0) return <p class="muted">No customer matches “{p.search.q}”.</p>
  return (
    <ul class="rows" data-testid="crm-hits">
      {p.search.hits.map((h) => (
        <li class="row">
          <div class="row-main">
            <strong>{h.name}</strong>
            <div class="muted small">{[h.phone, h.email, h.external_id].filter(Boolean).join(' · ')}</div>
          </div>
          {p.link?.external_id === h.external_id ? (
            <span class="badge badge-active">linked</span>
          ) : (
            <form
              method="post"
              action={`${base}/link`}
              hx-post={`${base}/link`}
              hx-target="#client-crm"
              hx-swap="outerHTML"
              class="inline-form"
            >
              <CsrfField />
              <input type="hidden" name="connection_id" value={p.connection.id} />
              <input type="hidden" name="external_id" value={h.external_id} />
              <button type="submit" data-testid="crm-link">
                Link
              </button>
            </form>
          )}
        </li>
      ))}
    </ul>
  )
}

/** The card's place on the client page: htmx loads it; without JavaScript a link opens its page. */
export function ClientCrm({ clientId }: { clientId: string }) {
  return (
    <div hx-get={`/app/clients/${clientId}/crm`} hx-trigger="load" hx-target="this" hx-swap="outerHTML">
      <section class="card" id="client-crm">
        <h2>CRM</h2>
        <p class="muted">
          <a href={`/app/clients/${clientId}/crm`}>See this client's CRM link</a>
        </p>
      </section>
    </div>
  )
}
