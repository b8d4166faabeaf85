/** Small parts every leads page shares: the owner's initials, a follow-up's words, a status badge, the board/list tabs. */
import type { LeadStatus } from '../../durable-objects/org/sales/leads/statuses'
import { dateTime } from '../format'
import { useCanManage } from '../layout'
import type { Person } from '../schedule/people'

/** What the leads pages know besides the leads: the pipeline, the team by id, the zone and the moment of the request. */
export type LeadsContext = { statuses: LeadStatus[]; team: Person[]; tz: string; now: string }

/** Where lead sources come from, as the pages name them; the API may add its own words. */
export const SOURCES: Record<string, string> = {
  manual: 'Added by staff',
  phone: 'Phone call',
  web_form: 'Web request',
  referral: 'Referral',
  email: 'Email',
}

/** A source in words: the known ones named, any other as written. */
export const sourceName = (source: string) => SOURCES[source] ?? source.replace(/_/g, ' ')

/** The source picker's choices, with `current` kept when the API gave one the pages do not name. */
export function sourceOptions(current?: string) {
  const options = Object.entries(SOURCES).map(([value, label]) => ({ value, label }))
  return current && !SOURCES[current] ? [...options, { value: current, label: sourceName(current) }] : options
}

/** Whoever owns a lead: their initials in their team colour, and their name (beside it when `named`, else for screen readers). */
export function OwnerDot({ person, named }: { person: Person | undefined; named?: boolean }) {
  if (!person) return null
  return (
    <span class="lead-owner" title={person.name}>
      <span class="crew-dot" style={`background:${person.color}`} aria-hidden="true">
        {person.initials}
      </span>
      {named ? ` ${person.name}` : <span class="visually-hidden">Owner: {person.name}</span>}
    </span>
  )
}

/** "Follow up Mon, Jan 5, 9:30 AM", or "Overdue since …" once that moment is past. */
export function FollowUp({ at, ctx }: { at: string | null; ctx: Pick<LeadsContext, 'tz' | 'now'> }) {
  if (!at) return null
  const overdue = at < ctx.now
  return (
    <span class={overdue ? 'lead-due is-overdue' : 'lead-due'} data-testid={overdue ? 'overdue' : 'follow-up'}>
      {overdue ? 'Overdue since ' : 'Follow up '}
      {dateTime(at, ctx.tz)}
    </span>
  )
}

/** A status as a badge in its own colour. */
export function StatusBadge({ status }: { status: LeadStatus | null | undefined }) {
  if (!status) return null
  return (
    <span class="badge lead-status" data-testid="lead-status">
      <span class="status-dot" style={`background:${status.color}`} aria-hidden="true"></span>
      {status.name}
    </span>
  )
}

/** Board or list, and the actions every leads page offers. */
export function LeadsHead({ view }: { view: 'board' | 'list' }) {
  return (
    <div class="page-head">
      <h1>Leads</h1>
      <div class="actions">
        <a class="button primary" href="/app/leads/new">
          New lead
        </a>
        <nav class="lead-tabs" aria-label="Leads view">
          <a href="/app/leads" aria-current={view === 'board' ? 'page' : undefined} data-testid="tab-board">
            Board
          </a>
          <a href="/app/leads?view=list" aria-current={view === 'list' ? 'page' : undefined} data-testid="tab-list">
            List
          </a>
        </nav>
        <a class="button" href="/app/assistant">
          AI log
        </a>
        {useCanManage() ? (
          <a class="button" href="/app/leads/statuses" data-testid="pipeline-steps">
            Pipeline steps
          </a>
        ) : null}
      </div>
    </div>
  )
}
