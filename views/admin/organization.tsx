/** One business in the console: owner, team, plan and its history, usage (the job's figures and the counts now), activity per week, tickets. */
import type { MetricsSnapshot } from '../../durable-objects/org/crm/usage'
import type { OrganizationDetail } from '../../src/platform/organization-detail'
import { type Bar, BarChart } from '../bar-chart'
import { money, words } from '../format'
import { ago, day, EngagementBadge } from './parts'

const monthDay = (date: string) => `${Number(date.slice(5, 7))}/${Number(date.slice(8, 10))}`

export function OrganizationPage({ o, now, usage }: { o: OrganizationDetail; now: Date; usage: MetricsSnapshot }) {
  const owner = o.team.find((m) => m.role === 'owner')
  const f = o.figures
  const weeks = usage.weeks ?? []
  const lastSignIn = o.team
    .map((m) => m.last_sign_in_at)
    .reduce((max, at) => (at && (!max || at > max) ? at : max), null)
  const bars = (pick: (w: (typeof weeks)[number]) => number): Bar[] =>
    weeks.map((w, i) => ({
      label: monthDay(w.week_start),
      value: pick(w),
      caption: String(pick(w)),
      highlight: i === weeks.length - 1,
    }))
  return (
    <>
      <p class="crumbs">
        <a href="/admin">Businesses</a> / {o.name}
      </p>
      <div class="page-head">
        <div>
          <h1 data-testid="organization-name">{o.name}</h1>
          <p class="muted small">
            Signed up {day(o.created_at)} · {o.timezone} · {o.country}
            {o.slug ? ` · /book/${o.slug}` : ''}
          </p>
        </div>
        <EngagementBadge engagement={f?.engagement ?? null} />
      </div>

      <div class="grid-2">
        <section class="card" aria-labelledby="owner-title">
          <h2 id="owner-title">Owner and plan</h2>
          <dl class="facts">
            <dt>Owner</dt>
            <dd data-testid="owner">{owner ? [owner.name, owner.email].filter(Boolean).join(' · ') : '—'}</dd>
            <dt>Plan</dt>
            <dd data-testid="plan">
              {o.plan}
              {o.subscription ? ` · ${o.subscription.status ?? 'no status'}` : ' · no subscription'}
            </dd>
            {o.subscription?.current_period_end ? (
              <>
                <dt>Period ends</dt>
                <dd>{day(o.subscription.current_period_end)}</dd>
              </>
            ) : null}
            <dt>MRR</dt>
            <dd>{money(o.subscription?.mrr_cents ?? 0)}</dd>
            <dt>Total spent</dt>
            <dd>{f ? money(f.total_spent_cents) : '—'}</dd>
            <dt>LTV</dt>
            <dd>{f ? money(f.ltv_cents) : '—'}</dd>
          </dl>
        </section>

        <section class="card" aria-labelledby="usage-title">
          <h2 id="usage-title">Usage</h2>
          <table class="usage-table" data-testid="usage">
            <thead>
              <tr>
                <th>Count</th>
                <th class="num">Now</th>
                <th class="num">Last computed</th>
              </tr>
            </thead>
            <tbody>
              {(
                [
                  ['Clients', usage.clients, f?.clients],
                  ['Jobs in 30 days', usage.jobs_30d, f?.jobs_30d],
                  ['Messages in 30 days', usage.messages_30d, f?.messages_30d],
                  ['Texts this period', usage.sms_this_period, f?.sms_this_period],
                ] as const
              ).map(([label, current, computed]) => (
                <tr>
                  <td>{label}</td>
                  <td class="num">{current}</td>
                  <td class="num">{computed ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="muted small">
            {f ? `Last computed ${ago(f.computed_at, now)}.` : 'Not computed yet.'} Last sign-in of anyone on the team:{' '}
            {ago(lastSignIn, now)}.
          </p>
        </section>
      </div>

      <section class="card" aria-labelledby="activity-title">
        <h2 id="activity-title">Recent activity</h2>
        <div class="grid-2">
          <BarChart
            bars={bars((w) => w.jobs)}
            title={`Jobs in each of the last ${weeks.length} weeks`}
            titleId="chart-jobs"
            testId="chart-jobs"
            gap={4}
            note="Jobs per week"
          />
          <BarChart
            bars={bars((w) => w.messages)}
            title={`Messages sent or received in each of the last ${weeks.length} weeks`}
            titleId="chart-messages"
            testId="chart-messages"
            gap={4}
            note="Messages per week"
          />
        </div>
      </section>

      <section class="card" aria-labelledby="team-title">
        <h2 id="team-title">Team</h2>
        <table class="table plain" data-testid="team">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
              <th>Last sign-in</th>
            </tr>
          </thead>
          <tbody>
            {o.team.map((m) => (
              <tr>
                <td data-label="Name">{m.name ?? '—'}</td>
                <td data-label="Email">{m.email}</td>
                <td data-label="Role">{words(m.role)}</td>
                <td data-label="Last sign-in">{ago(m.last_sign_in_at, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section class="card" aria-labelledby="history-title">
        <h2 id="history-title">Plan history</h2>
        {o.history.length === 0 ? (
          <p class="muted">No subscription yet: on the default plan since signing up.</p>
        ) : (
          <table class="table plain" data-testid="plan-history">
            <thead>
              <tr>
                <th>When</th>
                <th>Plan</th>
                <th>Status</th>
                <th class="num">MRR</th>
              </tr>
            </thead>
            <tbody>
              {o.history.map((h) => (
                <tr>
                  <td data-label="When">{day(h.at)}</td>
                  <td data-label="Plan">{h.plan ?? '—'}</td>
                  <td data-label="Status">{h.status ?? '—'}</td>
                  <td data-label="MRR" class="num">
                    {money(h.mrr_cents)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section class="card" aria-labelledby="tickets-title">
        <h2 id="tickets-title">Support tickets</h2>
        {o.tickets.length === 0 ? (
          <p class="muted">No tickets from this business.</p>
        ) : (
          <table class="table plain" data-testid="tickets">
            <thead>
              <tr>
                <th>Subject</th>
                <th>Status</th>
                <th>Priority</th>
                <th>Opened</th>
              </tr>
            </thead>
            <tbody>
              {o.tickets.map((t) => (
                <tr>
                  <td data-label="Name">
                    <a href={`/admin/tickets/${t.ticket_id}`}>{t.subject}</a>
                  </td>
                  <td data-label="Status">{words(t.status)}</td>
                  <td data-label="Priority">{words(t.priority)}</td>
                  <td data-label="Opened">{day(t.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  )
}
