/** The console's plans: a table where each row is a plan's form (name, monthly price, Stripe price, limits); a row that fails comes back with its errors. */
import type { PlanRow } from '../../src/platform/plan-settings'
import type { FormErrors, FormValues } from '../fields'
import { dollarsInput } from '../format'
import { CsrfField } from '../layout'

export function PlansPage(props: {
  plans: PlanRow[]
  failed?: { planId: string; values: FormValues; errors: FormErrors }
}) {
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Plans</h1>
          <p class="muted small">
            A business is on the plan its Stripe subscription's price names while the subscription is active, trialing
            or past due; otherwise on the default plan. Stripe charges the price set in Stripe: keep the monthly price
            here the same, since MRR is counted from it.
          </p>
        </div>
      </div>
      <table class="table plans-table" data-testid="plans">
        <thead>
          <tr>
            <th>Plan</th>
            <th>Monthly price ($)</th>
            <th>Stripe price id</th>
            <th>Texts per month</th>
            <th>Team size</th>
            <th class="num">Businesses</th>
            <th>
              <span class="visually-hidden">Save</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.plans.map((p) =>
            props.failed?.planId === p.plan_id ? (
              <PlanRowForm plan={p} values={props.failed.values} errors={props.failed.errors} />
            ) : (
              <PlanRowForm plan={p} />
            ),
          )}
        </tbody>
      </table>
    </>
  )
}

/** The values a plan's row shows when nothing was typed yet. */
const valuesOf = (p: PlanRow): FormValues => ({
  name: p.name,
  price: dollarsInput(p.price_monthly_cents),
  stripe_price_id: p.stripe_price_id ?? '',
  sms_per_month: String(p.sms_per_month),
  team_size: String(p.team_size),
})

/** One plan as a row of inputs belonging to the form in its last cell (a form cannot wrap a table row). */
export function PlanRowForm(props: { plan: PlanRow; values?: FormValues; errors?: FormErrors; saved?: boolean }) {
  const p = props.plan
  const v = props.values ?? valuesOf(p)
  const e = props.errors ?? {}
  const form = `plan-${p.plan_id}`
  const cell = (name: string, label: string, input: { type?: string; inputmode?: 'decimal' | 'numeric' }) => {
    const id = `${form}-${name}`
    return (
      <td data-label={label} class={e[name] ? 'has-error' : undefined}>
        <label for={id} class="visually-hidden">
          {label} of {p.name}
        </label>
        <input
          id={id}
          form={form}
          name={name}
          type={input.type ?? 'text'}
          inputmode={input.inputmode}
          value={v[name]}
          aria-invalid={e[name] ? 'true' : undefined}
          aria-describedby={e[name] ? `${id}-error` : undefined}
        />
        {e[name] ? (
          <p class="error" id={`${id}-error`}>
            {e[name]}
          </p>
        ) : null}
      </td>
    )
  }
  return (
    <tr id={`plan-row-${p.plan_id}`} data-plan-id={p.plan_id}>
      {cell('name', 'Plan', {})}
      {cell('price', 'Monthly price ($)', { inputmode: 'decimal' })}
      {cell('stripe_price_id', 'Stripe price id', {})}
      {cell('sms_per_month', 'Texts per month', { inputmode: 'numeric' })}
      {cell('team_size', 'Team size', { inputmode: 'numeric' })}
      <td data-label="Businesses" class="num">
        {p.businesses}
        {p.is_default ? <span class="muted small"> (default)</span> : null}
      </td>
      <td>
        <form
          id={form}
          method="post"
          action={`/admin/plans/${p.plan_id}`}
          hx-post={`/admin/plans/${p.plan_id}`}
          hx-target={`#plan-row-${p.plan_id}`}
          hx-swap="outerHTML"
        >
          <CsrfField />
          <button type="submit">Save</button>
          {props.saved ? (
            <span class="small" role="status">
              {' '}
              Saved
            </span>
          ) : null}
        </form>
      </td>
    </tr>
  )
}
