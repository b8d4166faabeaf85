/** An account's work rolled up: what it owes and paid this year, and the jobs and invoices of its contacts and sites. */
import type { AccountDetail } from '../../durable-objects/org/sales/accounts/detail'
import type { Site } from '../../durable-objects/org/sales/accounts/sites'
import { dateTime, longDate, money, words } from '../format'

/** The totals and both lists, swapped together whenever a contact joins or leaves. */
export function AccountWork({ account, tz }: { account: AccountDetail; tz: string }) {
  const sites = new Map(account.sites.map((s) => [s.site_id, s]))
  return (
    <div id="account-work">
      <div class="tiles">
        <div class="tile">
          <span class="tile-label">Open balance</span>
          <span class="tile-n" data-testid="account-open-balance">
            {money(account.totals.open_balance_cents)}
          </span>
        </div>
        <div class="tile">
          <span class="tile-label">Paid this year</span>
          <span class="tile-n" data-testid="account-paid-year">
            {money(account.totals.paid_this_year_cents)}
          </span>
        </div>
      </div>
      <div class="grid-2">
        <AccountJobs account={account} sites={sites} tz={tz} />
        <AccountInvoices account={account} />
      </div>
    </div>
  )
}

/** "Showing 25 of 40" when the list is capped. */
const shown = (listed: number, all: number) =>
  all > listed ? (
    <span class="muted small">
      {' '}
      · newest {listed} of {all}
    </span>
  ) : null

function AccountJobs({ account, sites, tz }: { account: AccountDetail; sites: Map<string, Site>; tz: string }) {
  return (
    <section class="card" id="account-jobs" data-testid="account-jobs">
      <h2>Jobs{shown(account.jobs.length, account.jobs_count)}</h2>
      {account.jobs.length === 0 ? (
        <p class="muted">No jobs yet for the account's contacts or sites.</p>
      ) : (
        <ul class="rows">
          {account.jobs.map((j) => {
            const site = j.site_id ? sites.get(j.site_id) : undefined
            return (
              <li class="row">
                <div class="row-main">
                  <a href={`/app/jobs/${j.id}`}>{dateTime(j.start_at, tz)}</a>
                  <div class="muted small">
                    <a href={`/app/clients/${j.org_client_id}`}>{j.client_name}</a> · {money(j.price_cents)}
                    {site ? ` · at ${site.label ?? site.address1}` : ''}
                  </div>
                </div>
                <span class={`badge badge-${j.status}`}>{words(j.status)}</span>
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}

function AccountInvoices({ account }: { account: AccountDetail }) {
  return (
    <section class="card" id="account-invoices" data-testid="account-invoices">
      <h2>Invoices{shown(account.invoices.length, account.invoices_count)}</h2>
      {account.invoices.length === 0 ? (
        <p class="muted">No invoices yet.</p>
      ) : (
        <ul class="rows">
          {account.invoices.map((i) => (
            <li class="row">
              <div class="row-main">
                <a href={`/app/invoices/${i.id}`}>#{i.number}</a> · {money(i.total_cents)}
                <div class="muted small">
                  <a href={`/app/clients/${i.org_client_id}`}>{i.client_name}</a> · due {longDate(i.due_date)}
                  {i.balance_cents > 0 && i.status === 'open' ? ` · ${money(i.balance_cents)} owed` : ''}
                </div>
              </div>
              <span class={`badge badge-${i.overdue ? 'overdue' : i.status}`}>{i.overdue ? 'overdue' : i.status}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
