/** The console's businesses: search and filters, the sortable table (swapped whole as the filters change), its rows and "Show more". */
import type { OrganizationFilters, OrganizationItem, SortColumn } from '../../src/platform/organizations-list'
import { money, moneyRounded } from '../format'
import { ago, day, EngagementBadge } from './parts'

export type PlanOption = { plan_id: string; name: string }

/** The list's query string: the filters and sort, with some changed or removed. */
export function listQuery(f: OrganizationFilters, changes: Record<string, string | undefined> = {}): string {
  const all: Record<string, string | undefined> = {
    q: f.q,
    plan: f.plan,
    engagement: f.engagement,
    signup_from: f.signup_from,
    signup_to: f.signup_to,
    sort: f.sort,
    dir: f.dir,
    ...changes,
  }
  return new URLSearchParams(Object.entries(all).filter((e): e is [string, string] => Boolean(e[1]))).toString()
}

/** The search box and filters: each change swaps the table (htmx); without JavaScript, Apply. */
export function BusinessFilters({ filters: f, plans }: { filters: OrganizationFilters; plans: PlanOption[] }) {
  const swap = {
    'hx-get': '/admin',
    'hx-target': '#businesses',
    'hx-swap': 'outerHTML',
    'hx-include': 'closest form',
    'hx-replace-url': 'true',
  }
  return (
    <search>
      <form class="list-tools" method="get" action="/admin" data-testid="business-filters">
        <div class="field grow">
          <label for="business-q">Search businesses</label>
          <input
            type="search"
            id="business-q"
            name="q"
            value={f.q}
            maxlength={40}
            placeholder="Business name, link name or owner's email"
            autocomplete="off"
            {...swap}
            hx-trigger="input changed delay:250ms, search"
          />
        </div>
        <div class="field">
          <label for="business-plan">Plan</label>
          <select id="business-plan" name="plan" {...swap}>
            <option value="">All plans</option>
            {plans.map((p) => (
              <option value={p.plan_id} selected={p.plan_id === f.plan}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="business-engagement">Engagement</label>
          <select id="business-engagement" name="engagement" {...swap}>
            <option value="">Any</option>
            <option value="active" selected={f.engagement === 'active'}>
              Active
            </option>
            <option value="at_risk" selected={f.engagement === 'at_risk'}>
              At risk
            </option>
            <option value="dormant" selected={f.engagement === 'dormant'}>
              Dormant
            </option>
          </select>
        </div>
        <div class="field">
          <label for="business-from">Signed up from</label>
          <input type="date" id="business-from" name="signup_from" value={f.signup_from} {...swap} />
        </div>
        <div class="field">
          <label for="business-to">to</label>
          <input type="date" id="business-to" name="signup_to" value={f.signup_to} {...swap} />
        </div>
        {f.sort ? <input type="hidden" name="sort" value={f.sort} /> : null}
        {f.dir ? <input type="hidden" name="dir" value={f.dir} /> : null}
        <div class="field">
          <button type="submit">Apply</button>
        </div>
      </form>
    </search>
  )
}

/** Columns the table shows, with the direction a first click sorts them in. */
const HEADS: Array<{ column: SortColumn; label: string; first: 'asc' | 'desc'; num?: boolean }> = [
  { column: 'name', label: 'Business', first: 'asc' },
  { column: 'owner_email', label: 'Owner', first: 'asc' },
  { column: 'plan', label: 'Plan', first: 'desc' },
  { column: 'mrr_cents', label: 'MRR', first: 'desc', num: true },
  { column: 'ltv_cents', label: 'LTV', first: 'desc', num: true },
  { column: 'clients', label: 'Clients', first: 'desc', num: true },
  { column: 'jobs_30d', label: 'Jobs 30 d', first: 'desc', num: true },
  { column: 'messages_30d', label: 'Messages 30 d', first: 'desc', num: true },
  { column: 'last_sign_in_at', label: 'Last sign-in', first: 'desc' },
  { column: 'engagement', label: 'Engagement', first: 'asc' },
  { column: 'created_at', label: 'Signed up', first: 'desc' },
]

/** The table with its count line and CSV link; the search and filters swap this whole part. */
export function BusinessesTable(props: {
  filters: OrganizationFilters
  items: OrganizationItem[]
  nextCursor: string | null
  now: Date
}) {
  const f = props.filters
  const sort = f.sort ?? 'created_at'
  const dir = f.dir ?? (f.sort ? 'asc' : 'desc')
  const filtered = listQuery({ ...f, sort: undefined, dir: undefined })
  return (
    <div id="businesses">
      <p class="list-foot">
        <a class="button" href={`/admin/api/organizations?${listQuery(f, { format: 'csv' })}`} download>
          Download CSV
        </a>{' '}
        <span class="muted small">
          {filtered ? 'The businesses matching these filters' : 'Every business'}, as a spreadsheet.
        </span>
      </p>
      <table class="table businesses-table" data-testid="businesses">
        <thead>
          <tr>
            {HEADS.map((h) => {
              const current = sort === h.column
              const next = current ? (dir === 'asc' ? 'desc' : 'asc') : h.first
              return (
                <th
                  class={h.num ? 'num' : undefined}
                  aria-sort={current ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}
                >
                  <a href={`/admin?${listQuery(f, { sort: h.column, dir: next })}`}>
                    {h.label}
                    {current ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}
                  </a>
                </th>
              )
            })}
          </tr>
        </thead>
        <tbody aria-live="polite">
          <BusinessRows items={props.items} nextCursor={props.nextCursor} filters={f} now={props.now} />
        </tbody>
      </table>
    </div>
  )
}

/** Rows plus a "more" row that loads the next page in its place. */
export function BusinessRows(props: {
  items: OrganizationItem[]
  nextCursor: string | null
  filters: OrganizationFilters
  now: Date
}) {
  if (props.items.length === 0)
    return (
      <tr class="empty-row">
        <td colspan={HEADS.length}>No business matches. Try fewer letters or other filters.</td>
      </tr>
    )
  // htmx appends the next rows in place; without JavaScript the link opens the next page.
  const next = listQuery(props.filters, { cursor: props.nextCursor ?? undefined })
  return (
    <>
      {props.items.map((o) => (
        <tr data-organization-id={o.organization_id}>
          <td data-label="Name">
            <a class="strong" href={`/admin/organizations/${o.organization_id}`}>
              {o.name}
            </a>
          </td>
          <td data-label="Owner">{o.owner_email ?? '—'}</td>
          <td data-label="Plan">
            {o.plan}
            {o.subscription_status ? <span class="muted small"> · {o.subscription_status}</span> : null}
          </td>
          <td data-label="MRR" class="num">
            {money(o.mrr_cents)}
          </td>
          <td data-label="LTV" class="num">
            {moneyRounded(o.ltv_cents)}
          </td>
          <td data-label="Clients" class="num">
            {o.clients}
          </td>
          <td data-label="Jobs 30 d" class="num">
            {o.jobs_30d}
          </td>
          <td data-label="Messages 30 d" class="num">
            {o.messages_30d}
          </td>
          <td data-label="Last sign-in">{ago(o.last_sign_in_at, props.now)}</td>
          <td data-label="Engagement">
            <EngagementBadge engagement={o.engagement} />
          </td>
          <td data-label="Signed up">{day(o.created_at)}</td>
        </tr>
      ))}
      {props.nextCursor ? (
        <tr class="more-row">
          <td colspan={HEADS.length}>
            <a
              class="button"
              href={`/admin?${next}`}
              hx-get={`/admin/organizations/rows?${next}`}
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
