/** An account's sites card: its service addresses, one removed in place unless jobs were booked there, and the add form. */
import type { AccountContact } from '../../durable-objects/org/sales/accounts/contacts'
import type { Site } from '../../durable-objects/org/sales/accounts/sites'
import type { FormErrors, FormValues } from '../fields'
import { CsrfField, Field } from '../layout'

export type SiteAdding = { values: FormValues; errors: FormErrors }

const swap = { 'hx-target': '#account-sites', 'hx-swap': 'outerHTML' }

/** A site on one line. */
export const siteLine = (s: Site) =>
  [s.address1, s.address2, s.city, `${s.state} ${s.postal}`].filter(Boolean).join(', ')

/** Whom a job at a site is booked for from the account page: the primary contact when a client, else the first client. */
export const bookingClient = (contacts: AccountContact[]) =>
  (contacts.find((c) => c.is_primary && c.org_client_id) ?? contacts.find((c) => c.org_client_id))?.org_client_id

/** The account's sites, each with a remove button (and a booking link when a contact is a client), and a form to add one. */
export function SitesCard(p: {
  accountId: string
  sites: Site[]
  /** The client a "Book a job here" link books for. */
  bookFor?: string
  adding?: SiteAdding
  notice?: string
  error?: string
}) {
  const base = `/app/accounts/${p.accountId}/sites`
  const v = p.adding?.values ?? {}
  const e = p.adding?.errors ?? {}
  return (
    <section class="card" id="account-sites" data-testid="account-sites">
      <h2>Sites</h2>
      <p class="hint">Where the work is: book a contact's job at one of these addresses.</p>
      {p.notice ? (
        <p class="notice" role="status">
          {p.notice}
        </p>
      ) : null}
      {p.error ? (
        <p class="alert" role="alert">
          {p.error}
        </p>
      ) : null}
      {p.sites.length === 0 ? (
        <p class="muted">No sites yet.</p>
      ) : (
        <ul class="rows">
          {p.sites.map((s) => (
            <li class="row" data-testid="account-site">
              <div class="row-main">
                <strong>{s.label ?? 'Site'}</strong>
                <div>{siteLine(s)}</div>
                {p.bookFor ? (
                  <a class="small" href={`/app/jobs/new?client=${p.bookFor}&site=${s.site_id}`}>
                    Book a job here
                  </a>
                ) : null}
              </div>
              <form
                method="post"
                action={`${base}/${s.site_id}/remove`}
                hx-post={`${base}/${s.site_id}/remove`}
                {...swap}
                hx-confirm="Remove this site?"
              >
                <CsrfField />
                <button type="submit" class="danger">
                  Remove
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <details class="edit" open={p.adding !== undefined}>
        <summary>Add a site</summary>
        <form method="post" action={base} hx-post={base} {...swap} novalidate>
          <CsrfField />
          <Field
            label="Label"
            name="label"
            id="site-label"
            value={v['label']}
            error={e['label']}
            placeholder="Building B, Clubhouse…"
            autocomplete="off"
          />
          <div class="cols-address">
            <Field
              label="Street address"
              name="address1"
              id="site-address1"
              value={v['address1']}
              error={e['address1']}
            />
            <Field label="Suite, unit" name="address2" id="site-address2" value={v['address2']} error={e['address2']} />
            <Field label="City" name="city" id="site-city" value={v['city']} error={e['city']} />
            <Field label="State" name="state" id="site-state" value={v['state']} error={e['state']} />
            <Field label="ZIP" name="postal" id="site-postal" value={v['postal']} error={e['postal']} />
          </div>
          <button type="submit" class="primary">
            Add site
          </button>
        </form>
      </details>
    </section>
  )
}
