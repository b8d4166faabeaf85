/** What only this business keeps about a client: the private details (status, tags, pricing, tax) and the notes. */
import type { ClientDetail } from '../../durable-objects/org/crm/clients'
import { SelectField, TextareaField, type FormErrors, type FormValues } from '../fields'
import { stamp, statusOptions } from '../format'
import { CsrfField, Field, useSession } from '../layout'

/** Status, tags and settings, seen only by this business; edited in place. */
export function PrivateDetails({
  client,
  notice,
  values,
  errors,
}: {
  client: ClientDetail
  notice?: string
  values?: FormValues
  errors?: FormErrors
}) {
  const e = errors ?? {}
  const v = values ?? {
    status: client.status,
    tags: client.tags.join(', '),
    pricing_tier: client.settings.pricing_tier ?? '',
    tax_rate: client.settings.tax_rate === null ? '' : String(client.settings.tax_rate),
  }
  const custom = Object.entries(client.settings.custom_fields)
  const failed = Object.keys(e).length > 0
  return (
    <section class="card" id="client-private">
      <h2>
        Private details <span class="muted small">only your business</span>
      </h2>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <dl class="facts">
        <dt>Status</dt>
        <dd>
          <span class={`badge badge-${client.status}`} data-testid="client-status">
            {client.status}
          </span>
        </dd>
        <dt>Tags</dt>
        <dd data-testid="client-tags">
          {client.tags.length ? (
            client.tags.map((t) => (
              <a class="chip" href={`/app/clients?tag=${encodeURIComponent(t)}`}>
                {t}
              </a>
            ))
          ) : (
            <span class="muted">none</span>
          )}
        </dd>
        <dt>Pricing tier</dt>
        <dd>{client.settings.pricing_tier ?? <span class="muted">standard</span>}</dd>
        <dt>Tax rate</dt>
        <dd>
          {client.settings.tax_rate === null ? <span class="muted">default</span> : `${client.settings.tax_rate}%`}
        </dd>
        {custom.map(([k, val]) => (
          <>
            <dt>{k}</dt>
            <dd>{String(val ?? '')}</dd>
          </>
        ))}
      </dl>
      <details class="edit" open={failed}>
        <summary>Edit details</summary>
        <form
          method="post"
          action={`/app/clients/${client.org_client_id}/details`}
          hx-post={`/app/clients/${client.org_client_id}/details`}
          hx-target="#client-private"
          hx-swap="outerHTML"
        >
          <CsrfField />
          <div class="cols-2">
            <SelectField
              label="Status"
              name="status"
              id="edit-status"
              value={v['status']}
              error={e['status']}
              options={statusOptions('one')}
            />
            <Field
              label="Tags (comma-separated)"
              name="tags"
              id="edit-tags"
              value={v['tags']}
              error={e['tags']}
              autocomplete="off"
            />
            <Field
              label="Pricing tier"
              name="pricing_tier"
              id="edit-tier"
              value={v['pricing_tier']}
              error={e['pricing_tier']}
              placeholder="standard"
              autocomplete="off"
            />
            <Field
              label="Tax rate (%)"
              name="tax_rate"
              id="edit-tax"
              value={v['tax_rate']}
              error={e['tax_rate']}
              inputmode="decimal"
              placeholder="e.g. 8.25"
              autocomplete="off"
            />
          </div>
          <button type="submit" class="primary">
            Save details
          </button>
        </form>
      </details>
    </section>
  )
}

/** Private notes, newest first, with a box to add one. */
export function Notes({ client, error, value }: { client: ClientDetail; error?: string; value?: string }) {
  const tz = useSession().organization.timezone
  return (
    <section class="card" id="client-notes">
      <h2>
        Notes <span class="muted small">only your business</span>
      </h2>
      <form
        method="post"
        action={`/app/clients/${client.org_client_id}/notes`}
        hx-post={`/app/clients/${client.org_client_id}/notes`}
        hx-target="#client-notes"
        hx-swap="outerHTML"
      >
        <CsrfField />
        <TextareaField
          label="Add a note"
          name="note"
          id="new-note"
          value={value}
          error={error}
          rows={2}
          placeholder="Gate code, pets, what they asked for…"
        />
        <button type="submit">Add note</button>
      </form>
      {client.notes.length === 0 ? null : (
        <ul class="notes" data-testid="notes">
          {[...client.notes].reverse().map((n) => (
            <li>
              <p class="pre">{n.text}</p>
              <p class="muted small">
                {stamp(n.at, tz)}
                {n.author ? ` · ${n.author}` : ''}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
