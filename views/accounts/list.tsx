/** The accounts list (search as you type), its rows partial, and the new-account form. */
import type { AccountListItem } from '../../durable-objects/org/sales/accounts/accounts'
import { FormAlert, TextareaField, type FormErrors, type FormValues } from '../fields'
import { money } from '../format'
import { CsrfField, Field } from '../layout'

/** The page options of every accounts page: its title, with Accounts lit in the menu. */
export const accountsPage = (title: string) => ({ title, active: 'accounts' as const })

/** Commercial accounts by name, with a search box that narrows the rows in place. */
export function AccountsPage({ q, items }: { q?: string; items: AccountListItem[] }) {
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Accounts</h1>
          <p class="muted small">Property managers, HOAs and offices: one company, several contacts and sites.</p>
        </div>
        <div class="actions">
          <a class="button primary" href="/app/accounts/new">
            New account
          </a>
        </div>
      </div>
      <search>
        <form class="list-tools" method="get" action="/app/accounts">
          <div class="field grow">
            <label for="account-q">Search accounts</label>
            <input
              type="search"
              id="account-q"
              name="q"
              value={q}
              placeholder="Part of the company name"
              autocomplete="off"
              hx-get="/app/accounts"
              hx-trigger="input changed delay:250ms, search"
              hx-target="#account-rows"
              hx-include="closest form"
              hx-replace-url="true"
            />
          </div>
          <noscript>
            <button type="submit">Search</button>
          </noscript>
        </form>
      </search>
      <table class="table accounts-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Primary contact</th>
            <th class="num">Contacts</th>
            <th class="num">Open balance</th>
          </tr>
        </thead>
        <tbody id="account-rows" aria-live="polite">
          <AccountRows items={items} q={q} />
        </tbody>
      </table>
    </>
  )
}

/** The list's rows; the search box swaps these. */
export function AccountRows({ items, q }: { items: AccountListItem[]; q?: string }) {
  if (items.length === 0)
    return (
      <tr class="empty-row">
        <td colspan={4}>
          {q
            ? `No account matches “${q}”.`
            : 'No accounts yet. Add the companies you work for: managers, HOAs, offices.'}
        </td>
      </tr>
    )
  return (
    <>
      {items.map((a) => (
        <tr data-account-id={a.id}>
          <td data-label="Name">
            <a href={`/app/accounts/${a.id}`} class="strong">
              {a.name}
            </a>
          </td>
          <td data-label="Primary contact">
            {a.primary_contact ? (
              [a.primary_contact.first_name, a.primary_contact.last_name].filter(Boolean).join(' ') || '—'
            ) : (
              <span class="muted">none yet</span>
            )}
          </td>
          <td data-label="Contacts" class="num">
            {a.contact_count}
          </td>
          <td data-label="Open balance" class="num">
            {money(a.open_balance_cents)}
          </td>
        </tr>
      ))}
    </>
  )
}

type FormProps = { values: FormValues; errors: FormErrors }

/** The new-account page around its form. */
export function NewAccountPage(props: FormProps) {
  return (
    <>
      <p class="crumbs">
        <a href="/app/accounts">Accounts</a> / New
      </p>
      <h1>New account</h1>
      <NewAccountForm {...props} />
    </>
  )
}

/** The new-account form; a failed post comes back as this fragment, filled in, errors beside fields. */
export function NewAccountForm({ values, errors }: FormProps) {
  return (
    <form
      id="new-account"
      class="card form-card"
      method="post"
      action="/app/accounts"
      hx-post="/app/accounts"
      hx-target="this"
      hx-swap="outerHTML"
      novalidate
    >
      <CsrfField />
      <FormAlert errors={errors} />
      <AccountFields values={values} errors={errors} idPrefix="new" />
      <div class="form-actions">
        <button type="submit" class="primary">
          Add account
        </button>
        <a href="/app/accounts" class="button">
          Back to accounts
        </a>
      </div>
    </form>
  )
}

/** The company's name, tax id, billing address and notes: the new-account form's and the details editor's fields. */
export function AccountFields({ values: v, errors: e, idPrefix }: FormProps & { idPrefix: string }) {
  const id = (name: string) => `${idPrefix}-${name}`
  return (
    <>
      <fieldset>
        <legend>Company</legend>
        <div class="cols-2">
          <Field
            label="Name"
            name="name"
            id={id('name')}
            value={v['name']}
            error={e['name']}
            required
            autocomplete="organization"
          />
          <Field
            label="Tax ID"
            name="tax_id"
            id={id('tax_id')}
            value={v['tax_id']}
            error={e['tax_id']}
            autocomplete="off"
          />
        </div>
      </fieldset>
      <fieldset>
        <legend>Billing address (optional)</legend>
        <p class="hint">Invoices for the account's contacts are billed to this address.</p>
        <div class="cols-address">
          <Field
            label="Street address"
            name="address1"
            id={id('address1')}
            value={v['address1']}
            error={e['address1']}
          />
          <Field label="Suite, floor" name="address2" id={id('address2')} value={v['address2']} error={e['address2']} />
          <Field label="City" name="city" id={id('city')} value={v['city']} error={e['city']} />
          <Field label="State" name="state" id={id('state')} value={v['state']} error={e['state']} />
          <Field label="ZIP" name="postal" id={id('postal')} value={v['postal']} error={e['postal']} />
        </div>
      </fieldset>
      <TextareaField
        label="Notes"
        name="notes"
        id={id('notes')}
        value={v['notes']}
        error={e['notes']}
        placeholder="Terms, gate codes, who approves work…"
      />
    </>
  )
}
