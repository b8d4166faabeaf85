/** One account's page: its details (edited in place), contacts with the primary's star, sites, and its work rolled up. */
import type { Account } from '../../durable-objects/org/sales/accounts/accounts'
import type { AccountDetail } from '../../durable-objects/org/sales/accounts/detail'
import type { FormErrors, FormValues } from '../fields'
import { CsrfField, useSession } from '../layout'
import { type ContactEditing, ContactsCard } from './contacts'
import { AccountFields } from './list'
import { bookingClient, type SiteAdding, SitesCard } from './sites'
import { AccountWork } from './work'

export type AccountPageProps = {
  account: AccountDetail
  /** A failed edit of the details, shown in place. */
  details?: { values: FormValues; errors: FormErrors }
  contactEdit?: ContactEditing
  contactError?: string
  siteAdding?: SiteAdding
  siteError?: string
  notice?: string
}

/** Everything about one account. */
export function AccountPage(p: AccountPageProps) {
  const { account } = p
  const tz = useSession().organization.timezone
  return (
    <>
      <p class="crumbs">
        <a href="/app/accounts">Accounts</a> / {account.name}
      </p>
      <div class="page-head">
        <div>
          <h1 data-testid="account-name">{account.name}</h1>
          <AccountSummary account={account} />
        </div>
      </div>
      {p.notice ? (
        <p class="notice" role="status">
          {p.notice}
        </p>
      ) : null}
      <div class="grid-2">
        <AccountDetails account={account} {...p.details} />
        <ContactsCard
          accountId={account.id}
          contacts={account.contacts}
          editing={p.contactEdit}
          error={p.contactError}
        />
      </div>
      <SitesCard
        accountId={account.id}
        sites={account.sites}
        bookFor={bookingClient(account.contacts)}
        adding={p.siteAdding}
        error={p.siteError}
      />
      <AccountWork account={account} tz={tz} />
    </>
  )
}

/** "Commercial account · 2 contacts · 1 site" under the name; swapped with every contact or site change. */
export function AccountSummary({ account }: { account: AccountDetail }) {
  const n = (count: number, one: string) => `${count} ${count === 1 ? one : `${one}s`}`
  return (
    <p class="muted small" id="account-summary">
      Commercial account · {n(account.contacts.length, 'contact')} · {n(account.sites.length, 'site')}
    </p>
  )
}

/** The company's details, with the editor folded under them. */
export function AccountDetails(p: { account: Account; values?: FormValues; errors?: FormErrors; notice?: string }) {
  const a = p.account
  const billing = a.billing_address
  const e = p.errors ?? {}
  const v = p.values ?? {
    name: a.name,
    tax_id: a.tax_id ?? '',
    notes: a.notes ?? '',
    address1: billing?.address1 ?? '',
    address2: billing?.address2 ?? '',
    city: billing?.city ?? '',
    state: billing?.state ?? '',
    postal: billing?.postal ?? '',
  }
  const failed = Object.values(e).some(Boolean)
  const action = `/app/accounts/${a.id}`
  return (
    <section class="card" id="account-details" data-testid="account-details">
      <h2>Details</h2>
      {p.notice ? (
        <p class="notice" role="status">
          {p.notice}
        </p>
      ) : null}
      <dl class="facts">
        <dt>Billing address</dt>
        <dd data-testid="account-billing">
          {billing ? (
            [billing.address1, billing.address2, `${billing.city}, ${billing.state} ${billing.postal}`]
              .filter(Boolean)
              .join(', ')
          ) : (
            <span class="muted">not set: invoices go to each contact's own address</span>
          )}
        </dd>
        <dt>Tax ID</dt>
        <dd>{a.tax_id ?? <span class="muted">none</span>}</dd>
        {a.notes ? (
          <>
            <dt>Notes</dt>
            <dd class="pre">{a.notes}</dd>
          </>
        ) : null}
      </dl>
      <details class="edit" open={failed}>
        <summary>Edit details</summary>
        <form
          method="post"
          action={action}
          hx-post={action}
          hx-target="#account-details"
          hx-swap="outerHTML"
          novalidate
        >
          <CsrfField />
          <AccountFields values={v} errors={e} idPrefix="edit" />
          <button type="submit" class="primary">
            Save details
          </button>
        </form>
      </details>
    </section>
  )
}
