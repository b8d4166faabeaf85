/** The dashboard's leads card: follow-ups due by the end of today (overdue first) and how many web requests came in this week. */
import type { LeadCard } from '../../durable-objects/org/sales/leads/board'
import { leadName } from '../../durable-objects/org/sales/leads/leads'
import { FollowUp } from './parts'

export type DashboardLeads = {
  followUps: LeadCard[]
  /** How many requests came from the public form since Monday (the business's clock). */
  requests: number
  tz: string
  now: string
}

export function FollowUpsCard({ followUps, requests, tz, now }: DashboardLeads) {
  return (
    <section class="card" data-testid="follow-ups">
      <h2>Follow-ups due today</h2>
      <p class="muted small" data-testid="new-requests">
        <a href="/app/leads?view=list&source=web_form">
          {requests} new {requests === 1 ? 'request' : 'requests'} this week
        </a>{' '}
        from your request form
      </p>
      {followUps.length === 0 ? (
        <p class="muted">No follow-ups due today.</p>
      ) : (
        <ul class="rows">
          {followUps.map((lead) => (
            <li class="row">
              <div class="row-main">
                <a href={`/app/leads/${lead.id}`}>{leadName(lead)}</a>
                {lead.company || lead.service_interest ? (
                  <div class="muted small">{[lead.company, lead.service_interest].filter(Boolean).join(' · ')}</div>
                ) : null}
              </div>
              <FollowUp at={lead.next_follow_up_at} ctx={{ tz, now }} />
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href="/app/leads?view=list&follow_up=today">All follow-ups due →</a>
      </p>
    </section>
  )
}
