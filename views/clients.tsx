/** The clients list page and its rows partial. */
import type { ClientRow, ClientStatus } from '../durable-objects/org/clients'
import type { StaffSession } from '../src/auth/sessions'
import { Layout } from './layout'

export function ClientsPage(props: { session: StaffSession; status?: ClientStatus; items: ClientRow[]; nextCursor: string | null }) {
  return (
    <Layout title="Clients" session={props.session} active="clients">
      <h1>Clients</h1>
      <nav class="filters" aria-label="Filter by status">
        {([undefined, 'active', 'lead', 'inactive'] as const).map((s) => (
          <a href={s ? `/app/clients?status=${s}` : '/app/clients'} aria-current={s === props.status ? 'page' : undefined}>{s ?? 'all'}</a>
        ))}
      </nav>
      {props.items.length === 0 ? (
        <p class="empty">No clients yet. They appear here as you add them, book jobs or import a list.</p>
      ) : (
        <table class="table">
          <thead><tr><th>Name</th><th>Email</th><th>Phone</th><th>Status</th><th>Tags</th></tr></thead>
          <tbody id="client-rows">
            <ClientRows items={props.items} nextCursor={props.nextCursor} status={props.status} />
          </tbody>
        </table>
      )}
    </Layout>
  )
}

/** Rows plus a "more" row that loads the next page in place. */
export function ClientRows(props: { items: ClientRow[]; nextCursor: string | null; status?: ClientStatus }) {
  const more = new URLSearchParams({ ...(props.status ? { status: props.status } : {}), ...(props.nextCursor ? { cursor: props.nextCursor } : {}) })
  return (
    <>
      {props.items.map((c) => (
        <tr>
          <td data-label="Name">{[c.first_name, c.last_name].filter(Boolean).join(' ') || '—'}</td>
          <td data-label="Email">{c.primary_email ?? ''}</td>
          <td data-label="Phone">{c.primary_phone_e164 ?? ''}</td>
          <td data-label="Status"><span class={`badge badge-${c.status}`}>{c.status}</span></td>
          <td data-label="Tags">{c.tags.join(', ')}</td>
        </tr>
      ))}
      {props.nextCursor ? (
        <tr>
          <td colspan={5}>
            <button class="link" hx-get={`/app/clients/rows?${more}`} hx-target="closest tr" hx-swap="outerHTML">Show more</button>
          </td>
        </tr>
      ) : null}
    </>
  )
}
