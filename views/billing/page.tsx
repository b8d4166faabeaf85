/**
 * The Billing page: the business's plan and price, the subscription's status and period, this
 * period's texts and team against the plan's limits, the plans to compare, and how to change plan
 * (Stripe's customer portal for an owner when Stripe is set up, else HomeBase support).
 */
import type { Plan } from '../../src/billing/plans'
import type { PlanUsage } from '../../src/billing/usage'
import { localDate } from '../../src/time'
import { longDate, money } from '../format'
import { CsrfField, useSession } from '../layout'

export type BillingProps = {
  usage: PlanUsage
  plans: Plan[]
  /** HomeBase has a Stripe key and this business a Stripe customer: the portal can open. */
  portal: boolean
}

/** "Active", "Past due", or "No subscription". */
const STATUS_WORDS: Record<string, string> = {
  active: 'Active',
  trialing: 'Trial',
  past_due: 'Past due',
  canceled: 'Canceled',
  unpaid: 'Unpaid',
  incomplete: 'Incomplete',
  incomplete_expired: 'Expired',
  paused: 'Paused',
}

/** The app's badge colours: live in green, owing in red, over in grey. */
const BADGES: Record<string, string> = {
  active: 'badge-active',
  trialing: 'badge-active',
  past_due: 'badge-overdue',
  unpaid: 'badge-overdue',
}

const price = (cents: number) => (cents === 0 ? 'Free' : `${money(cents)} a month`)

export function BillingPage({ usage, plans, portal }: BillingProps) {
  const session = useSession()
  const tz = session.organization.timezone
  const periodEnd = longDate(localDate(new Date(usage.current_period_end), tz))
  const trialEnd = usage.trial_ends_at ? longDate(localDate(new Date(usage.trial_ends_at), tz)) : ''
  const { sms_per_month, team_size } = usage.limits
  const { sms_this_period, team, team_invited } = usage.usage
  return (
    <>
      <h1>Billing</h1>
      <section class="card" aria-labelledby="plan-h" data-testid="billing-plan">
        <h2 id="plan-h">
          {usage.name} plan <span class="muted">· {price(usage.price_monthly_cents)}</span>
        </h2>
        <p>
          <span class={`badge ${BADGES[usage.status ?? ''] ?? 'badge-draft'}`}>
            {usage.status ? (STATUS_WORDS[usage.status] ?? usage.status) : 'No subscription'}
          </span>{' '}
          {usage.status && ['active', 'trialing', 'past_due'].includes(usage.status)
            ? `This period ends ${periodEnd}.`
            : `Usage starts again on ${periodEnd}.`}
        </p>
        {usage.status === 'past_due' ? (
          <p class="alert" role="alert">
            The last payment did not go through: update the card in Stripe to keep the {usage.name} plan.
          </p>
        ) : null}
      </section>

      <section class="card" aria-labelledby="usage-h" data-testid="billing-usage">
        <h2 id="usage-h">This period</h2>
        <Usage
          label="Texts sent"
          used={sms_this_period}
          limit={sms_per_month}
          unit="texts"
          note="Sign-in codes and links homeowners ask for are not counted; email is never limited."
        />
        <Usage
          label="Team"
          used={team + team_invited}
          limit={team_size}
          unit="people"
          note={team_invited > 0 ? `${team} on the team and ${team_invited} invited.` : `${team} on the team.`}
        />
        {usage.limits_apply ? null : (
          <p class="muted" data-testid="limits-not-applied">
            Free trial until {trialEnd}: nothing is held back until then. After it, these limits apply unless you choose
            a plan.
          </p>
        )}
        {usage.limits_apply && sms_this_period >= sms_per_month ? (
          <p class="alert" role="alert" data-testid="sms-limit-reached">
            This period's {sms_per_month} texts are used: further texts are skipped until {periodEnd} (the message log
            says "Over the plan's {sms_per_month} texts this month"). Email still goes.
          </p>
        ) : null}
      </section>

      <section class="card" aria-labelledby="plans-h">
        <h2 id="plans-h">Plans</h2>
        <div class="billing-plans">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Plan</th>
                <th scope="col">Price</th>
                <th scope="col">Texts a month</th>
                <th scope="col">Team</th>
              </tr>
            </thead>
            <tbody>
              {plans.map((p) => (
                <tr aria-current={p.id === usage.plan_id ? 'true' : undefined} data-plan={p.id}>
                  <th scope="row">
                    {p.name}
                    {p.id === usage.plan_id ? <span class="badge badge-active">Current</span> : null}
                  </th>
                  <td data-label="Price">{p.priceMonthlyCents === 0 ? 'Free' : `${money(p.priceMonthlyCents)}/mo`}</td>
                  <td data-label="Texts a month">{p.smsPerMonth.toLocaleString('en-US')}</td>
                  <td data-label="Team">{p.teamSize}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <ChangePlan portal={portal} owner={session.role === 'owner'} />
      </section>
    </>
  )
}

/** One limit as a bar: how much of it this period used. */
function Usage(p: { label: string; used: number; limit: number; unit: string; note: string }) {
  const id = `usage-${p.unit}`
  const full = p.used >= p.limit
  return (
    <div class={full ? 'usage usage-full' : 'usage'}>
      <div class="usage-head">
        <label for={id}>{p.label}</label>
        <span data-testid={id}>
          {p.used.toLocaleString('en-US')} of {p.limit.toLocaleString('en-US')} {p.unit}
        </span>
      </div>
      <meter id={id} min={0} max={p.limit} low={Math.floor(p.limit * 0.8)} high={p.limit} optimum={0} value={p.used}>
        {p.used} of {p.limit}
      </meter>
      <p class="muted small">{p.note}</p>
    </div>
  )
}

/** How to change plan: Stripe's portal for an owner, else who can. */
function ChangePlan({ portal, owner }: { portal: boolean; owner: boolean }) {
  if (portal && owner)
    return (
      <form method="post" action="/app/billing/portal" data-testid="billing-portal">
        <CsrfField />
        <button type="submit" class="primary">
          Manage billing in Stripe
        </button>
        <p class="muted small">
          Change plan, update the card or see past invoices on Stripe; you come back here after.
        </p>
      </form>
    )
  if (portal) return <p class="muted">Only an owner of the business can change its plan.</p>
  return (
    <p data-testid="billing-upgrade">
      To change plan, write to HomeBase support from <a href="/app/support">Help</a> and say which plan you want.
    </p>
  )
}
