/** Settings › Payments: whether clients pay by card through Stripe, and the instructions they see otherwise. */
import type { PaymentSettings } from '../../durable-objects/org/settings'
import { type FormErrors, type FormValues, TextareaField } from '../fields'
import { CsrfField, Field, useCanManage } from '../layout'

export type PaymentsProps = {
  settings: PaymentSettings
  /** HomeBase has a Stripe key (`STRIPE_SECRET_KEY`), so a saved account takes card payments. */
  stripeReady: boolean
  values?: FormValues
  errors?: FormErrors
  notice?: string
}

/** Stripe's state in words: connected and taking cards, saved but waiting for HomeBase's key, or not connected. */
export function stripeStatus(settings: PaymentSettings, stripeReady: boolean): { connected: boolean; text: string } {
  if (settings.stripe_account_id && stripeReady)
    return {
      connected: true,
      text: `Stripe connected (${settings.stripe_account_id}). Clients pay open invoices by card through Stripe Checkout.`,
    }
  if (settings.stripe_account_id)
    return {
      connected: false,
      text: 'Stripe account saved. Card payments start once HomeBase has a Stripe key (STRIPE_SECRET_KEY); until then clients see your payment instructions and your phone number.',
    }
  return {
    connected: false,
    text: 'Stripe not connected. Clients see your payment instructions and your phone number.',
  }
}

/** The payments section; saving swaps it in place. */
export function PaymentsSection({ settings, stripeReady, values, errors, notice }: PaymentsProps) {
  const v = values ?? {
    stripe_account_id: settings.stripe_account_id ?? '',
    payment_instructions: settings.payment_instructions ?? '',
  }
  const e = errors ?? {}
  const status = stripeStatus(settings, stripeReady)
  const missing = !settings.stripe_account_id && !settings.payment_instructions
  return (
    <section class="card" id="payments">
      <h2>Payments</h2>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <p data-testid="stripe-status">
        <span class={status.connected ? 'badge badge-paid' : 'badge badge-draft'}>
          {status.connected ? 'Connected' : 'Not connected'}
        </span>{' '}
        {status.text}
      </p>
      {missing ? (
        <p class="alert" role="alert" data-testid="payments-missing">
          Clients cannot pay you from their invoice link yet: connect Stripe or say how you take payment.
        </p>
      ) : null}
      {useCanManage() ? (
        <form
          method="post"
          action="/app/settings/payments"
          hx-post="/app/settings/payments"
          hx-target="#payments"
          hx-swap="outerHTML"
        >
          <CsrfField />
          <Field
            label="Stripe account id"
            name="stripe_account_id"
            value={v['stripe_account_id']}
            error={e['stripe_account_id']}
            placeholder="acct_…"
            autocomplete="off"
            hint="Your connected account from Stripe's dashboard (Settings › Account details)."
          />
          <TextareaField
            label="How to pay otherwise"
            name="payment_instructions"
            value={v['payment_instructions']}
            error={e['payment_instructions']}
            rows={3}
            placeholder="e.g. Zelle to pay@yourbusiness.com, or a check to 12 Main St."
          />
          <button type="submit">Save payment settings</button>
        </form>
      ) : null}
    </section>
  )
}

/** The section on a page of its own, for a browser without JavaScript after a save. */
export function PaymentsPage(props: PaymentsProps) {
  return (
    <>
      <p class="crumbs">
        <a href="/app/settings">Settings</a> / Payments
      </p>
      <PaymentsSection {...props} />
    </>
  )
}
