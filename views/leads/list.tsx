/** The leads list: filters (status, source, follow-up, owner, search), newest first, "Show more" by cursor. */
import type { Lead } from '../../durable-objects/org/sales/leads/leads'
import { leadName } from '../../durable-objects/org/sales/leads/leads'
import { moneyRounded } from '../format'
import { FollowUp, type LeadsContext, LeadsHead, OwnerDot, sourceName, sourceOptions, StatusBadge } from './parts'

/** Follow-up filters: overdue, due by the end of today, due by the end of this week (Monday to Sunday), none set. */
export const FOLLOW_UPS = { overdue: 'Overdue', today: 'Due by end of today', week: 'Due this week', none: 'None set' }
export type FollowUpFilter = keyof typeof FOLLOW_UPS

export type LeadFilters = {
  status_id?: string | undefined
  source?: string | undefined
  follow_up?: FollowUpFilter | undefined
  assigned_to?: string | undefined
  q?: string | undefined
}

/** The list's link with these filters (and a cursor). */
export function listUrl(f: LeadFilters, cursor?: string | null): string {
  const params = new URLSearchParams({ view: 'list' })
  for (const [k, v] of Object.entries(f)) if (v) params.set(k, v)
  if (cursor) params.set('cursor', cursor)
  return `/app/leads?${params}`
}

/** A select that filters as it changes (htmx), or with the Filter button. */
function FilterSelect(p: { id: string; label: string; name: string; value?: string; options: [string, string][] }) {
  return (
    <div class="field">
      <label for={p.id}>{p.label}</label>
      <select
        id={p.id}
        name={p.name}
        hx-get="/app/leads"
        hx-target="#lead-rows"
        hx-include="closest form"
        hx-replace-url="true"
      >
        {p.options.map(([value, label]) => (
          <option value={value} selected={value === (p.value ?? '')}>
            {label}
          </option>
        ))}
      </select>
    </div>
  )
}

export function LeadsListPage(p: {
  items: Lead[]
  nextCursor: string | null
  filters: LeadFilters
  ctx: LeadsContext
}) {
  const f = p.filters
  return (
    <>
      <LeadsHead view="list" />
      <search>
        <form class="list-tools" method="get" action="/app/leads">
          <input type="hidden" name="view" value="list" />
          <div class="field grow">
            <label for="lead-q">Search leads</label>
            <input
              type="search"
              id="lead-q"
              name="q"
              value={f.q}
              placeholder="Name, email, company or part of a phone number"
              autocomplete="off"
              hx-get="/app/leads"
              hx-trigger="input changed delay:250ms, search"
              hx-target="#lead-rows"
              hx-include="closest form"
              hx-replace-url="true"
            />
          </div>
          <FilterSelect
            id="lead-status"
            label="Status"
            name="status_id"
            value={f.status_id}
            options={[['', 'All statuses'], ...p.ctx.statuses.map((s): [string, string] => [s.id, s.name])]}
          />
          <FilterSelect
            id="lead-source"
            label="Source"
            name="source"
            value={f.source}
            options={[['', 'All sources'], ...sourceOptions(f.source).map((o): [string, string] => [o.value, o.label])]}
          />
          <FilterSelect
            id="lead-follow-up"
            label="Follow-up"
            name="follow_up"
            value={f.follow_up}
            options={[['', 'Any'], ...(Object.entries(FOLLOW_UPS) as [string, string][])]}
          />
          <FilterSelect
            id="lead-owner"
            label="Owner"
            name="assigned_to"
            value={f.assigned_to}
            options={[['', 'Anyone'], ...p.ctx.team.map((m): [string, string] => [m.id, m.name])]}
          />
          <div class="field">
            <button type="submit">Filter</button>
          </div>
        </form>
      </search>
      <table class="table leads-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Status</th>
            <th>Source</th>
            <th class="num">Value</th>
            <th>Follow-up</th>
            <th>Owner</th>
          </tr>
        </thead>
        <tbody id="lead-rows" aria-live="polite">
          <LeadRows items={p.items} nextCursor={p.nextCursor} filters={f} ctx={p.ctx} />
        </tbody>
      </table>
    </>
  )
}

/** The rows and a "Show more" row that loads the next page in place; the filters swap these too. */
export function LeadRows(p: { items: Lead[]; nextCursor: string | null; filters: LeadFilters; ctx: LeadsContext }) {
  if (p.items.length === 0)
    return (
      <tr class="empty-row">
        <td colspan={6}>
          {Object.values(p.filters).some(Boolean)
            ? 'No leads match these filters.'
            : 'No leads yet. Add the first one.'}
        </td>
      </tr>
    )
  const more = p.nextCursor ? listUrl(p.filters, p.nextCursor) : null
  return (
    <>
      {p.items.map((lead) => (
        <tr data-lead-id={lead.id}>
          <td data-label="Name">
            <a href={`/app/leads/${lead.id}`} class="strong">
              {leadName(lead)}
            </a>
            {lead.company ? <div class="muted small">{lead.company}</div> : null}
          </td>
          <td data-label="Status">
            <StatusBadge status={p.ctx.statuses.find((s) => s.id === lead.status_id)} />
          </td>
          <td data-label="Source">{sourceName(lead.source)}</td>
          <td data-label="Value" class="num">
            {lead.estimated_value_cents !== null ? moneyRounded(lead.estimated_value_cents) : ''}
          </td>
          <td data-label="Follow-up">
            <FollowUp at={lead.next_follow_up_at} ctx={p.ctx} />
          </td>
          <td data-label="Owner">
            <OwnerDot person={p.ctx.team.find((m) => m.id === lead.assigned_to)} named />
          </td>
        </tr>
      ))}
      {more ? (
        <tr class="more-row">
          <td colspan={6}>
            <a class="button" href={more} hx-get={more} hx-target="closest tr" hx-swap="outerHTML">
              Show more
            </a>
          </td>
        </tr>
      ) : null}
    </>
  )
}
