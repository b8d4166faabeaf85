/** The clients list (live search, filters, "show more"), its rows partial, and the new-client form. */
import type { ClientRow, ClientStatus } from '../../durable-objects/org/crm/clients'
import { AddressFields } from './picker'
import { FormAlert, SelectField, TextareaField, type FormErrors, type FormValues } from '../fields'
import { money, personName, phone, statusOptions } from '../format'
import { CsrfField, Field } from '../layout'

export type ClientFilters = { q?: string; status?: ClientStatus; tag?: string }

const STATUS_OPTIONS = [{ value: '', label: 'All statuses' }, ...statusOptions('many')]

/** The clients list: search as you type, status and tag filters, newest first. */
export function ClientsPage(props: { filters: ClientFilters; items: ClientRow[]; nextCursor: string | null }) {
  const f = props.filters
  return (
    <>
      <div class="page-head">
        <h1>Clients</h1>
        <div class="actions">
          <a class="button primary" href="/app/clients/new">
            New client
          </a>
          <a class="button" href="/app/clients/import">
            Import CSV
          </a>
          <a class="button" href="/app/clients/duplicates">
            Possible duplicates
          </a>
        </div>
      </div>
      <search>
        <form class="list-tools" method="get" action="/app/clients">
          <div class="field grow">
            <label for="client-q">Search clients</label>
            <input
              type="search"
              id="client-q"
              name="q"
              value={f.q}
              placeholder="Name, email or part of a phone number"
              autocomplete="off"
              hx-get="/app/clients"
              hx-trigger="input changed delay:250ms, search"
              hx-target="#client-rows"
              hx-include="closest form"
              hx-replace-url="true"
              hx-indicator="#client-search-busy"
            />
          </div>
          <div class="field">
            <label for="client-status">Status</label>
            <select
              id="client-status"
              name="status"
              hx-get="/app/clients"
              hx-target="#client-rows"
              hx-include="closest form"
              hx-replace-url="true"
            >
              {STATUS_OPTIONS.map((o) => (
                <option value={o.value} selected={o.value === (f.status ?? '')}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
          {f.tag ? <input type="hidden" name="tag" value={f.tag} /> : null}
          <noscript>
            <button type="submit">Search</button>
          </noscript>
          <span id="client-search-busy" class="htmx-indicator muted small" aria-hidden="true">
            Searching…
          </span>
        </form>
      </search>
      {f.tag ? (
        <p class="chips">
          Tagged <span class="chip">{f.tag}</span>
          <a
            href={`/app/clients?${new URLSearchParams({ ...(f.q ? { q: f.q } : {}), ...(f.status ? { status: f.status } : {}) })}`}
          >
            Clear tag
          </a>
        </p>
      ) : null}
      <table class="table clients-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Email</th>
            <th>Phone</th>
            <th>Status</th>
            <th>Tags</th>
            <th class="num">Lifetime value</th>
          </tr>
        </thead>
        <tbody id="client-rows" aria-live="polite">
          <ClientRows items={props.items} nextCursor={props.nextCursor} filters={f} />
        </tbody>
      </table>
    </>
  )
}

/** Rows plus a "more" row that loads the next page in place; the search box swaps these too. */
export function ClientRows(props: { items: ClientRow[]; nextCursor: string | null; filters: ClientFilters }) {
  const f = props.filters
  const filtered = Boolean(f.q || f.status || f.tag)
  const more = new URLSearchParams({
    ...(f.status ? { status: f.status } : {}),
    ...(f.tag ? { tag: f.tag } : {}),
    ...(props.nextCursor ? { cursor: props.nextCursor } : {}),
  })
  if (props.items.length === 0) {
    return (
      <tr class="empty-row">
        <td colspan={6}>
          {filtered
            ? 'No clients match. Try fewer letters, or part of a phone number.'
            : 'No clients yet. Add one, book a job, or import a list.'}
        </td>
      </tr>
    )
  }
  return (
    <>
      {props.items.map((c) => (
        <tr data-client-id={c.org_client_id}>
          <td data-label="Name">
            <a href={`/app/clients/${c.org_client_id}`} class="strong">
              {personName(c)}
            </a>
          </td>
          <td data-label="Email">{c.primary_email ?? ''}</td>
          <td data-label="Phone">{phone(c.primary_phone_e164)}</td>
          <td data-label="Status">
            <span class={`badge badge-${c.status}`}>{c.status}</span>
          </td>
          <td data-label="Tags">
            {c.tags.map((t) => (
              <a class="chip" href={`/app/clients?tag=${encodeURIComponent(t)}`}>
                {t}
              </a>
            ))}
          </td>
          <td data-label="Lifetime value" class="num">
            {money(c.ltv_cents)}
          </td>
        </tr>
      ))}
      {props.nextCursor ? (
        <tr class="more-row">
          <td colspan={6}>
            <a
              class="button"
              href={`/app/clients?${more}`}
              hx-get={`/app/clients?${more}`}
              hx-target="closest tr"
              hx-swap="outerHTML"
            >
              Show more
            </a>
          </td>
        </tr>
      ) : null}
    </>
  )
}

type NewClientProps = { values: FormValues; errors: FormErrors }

/** The new-client page around its form. */
export function NewClientPage(props: NewClientProps) {
  return (
    <>
      <p class="crumbs">
        <a href="/app/clients">Clients</a> / New
      </p>
      <h1>New client</h1>
      <NewClientForm {...props} />
    </>
  )
}

/** The new-client form; a failed post comes back as this fragment, filled in, errors beside fields. */
export function NewClientForm({ values: v, errors: e }: NewClientProps) {
  return (
    <form
      id="new-client"
      class="card form-card"
      method="post"
      action="/app/clients"
      hx-post="/app/clients"
      hx-target="this"
      hx-swap="outerHTML"
      novalidate
    >
      <CsrfField />
      <FormAlert errors={e} />
      <fieldset>
        <legend>Contact</legend>
        <p class="hint">
          Shared details: if this person already works with another HomeBase business, they are matched by email or
          phone.
        </p>
        <div class="cols-2">
          <Field
            label="First name"
            name="first_name"
            value={v['first_name']}
            error={e['first_name']}
            required
            autocomplete="off"
          />
          <Field label="Last name" name="last_name" value={v['last_name']} error={e['last_name']} autocomplete="off" />
          <Field
            label="Email"
            name="email"
            type="email"
            inputmode="email"
            value={v['email']}
            error={e['email']}
            autocomplete="off"
          />
          <Field
            label="Phone"
            name="phone"
            type="tel"
            inputmode="tel"
            value={v['phone']}
            error={e['phone']}
            autocomplete="off"
          />
        </div>
      </fieldset>
      <fieldset>
        <legend>Service address (optional)</legend>
        <AddressFields values={v} errors={e} />
      </fieldset>
      <fieldset>
        <legend>Private to your business</legend>
        <div class="cols-2">
          <SelectField
            label="Status"
            name="status"
            value={v['status'] ?? 'active'}
            error={e['status']}
            options={statusOptions('one')}
          />
          <Field
            label="Tags (comma-separated)"
            name="tags"
            value={v['tags']}
            error={e['tags']}
            placeholder="weekly, vip"
            autocomplete="off"
          />
        </div>
        <TextareaField
          label="Notes"
          name="notes"
          value={v['notes']}
          error={e['notes']}
          placeholder="Gate code, pets, preferences…"
        />
      </fieldset>
      <div class="form-actions">
        <button type="submit" class="primary">
          Add client
        </button>
        <a href="/app/clients" class="button">
          Back to clients
        </a>
      </div>
    </form>
  )
}
