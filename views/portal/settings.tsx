/** Settings › Payments: how homeowners pay invoices from the portal (Stripe account, or written instructions). */
import type { PaymentSettings } from '../../durable-objects/org/portal/settings'
import { TextareaField, type FormErrors, type FormValues } from '../fields'
import { CsrfField, Field, useCanManage } from '../layout'

type CardProps = {
  settings: PaymentSettings
  stripeReady: boolean
  values?: FormValues
  errors?: FormErrors
  notice?: string
}

/** The card, on the settings page and as the answer to a save. */
export function PaymentSettingsCard({ settings, stripeReady, values, errors, notice }: CardProps) {
  const v = values ?? {
    stripe_account_id: settings.stripe_account_id ?? '',
    payment_instructions: settings.payment_instructions ?? '',
  }
  const e = errors ?? {}
  const canEdit = useCanManage()
  return (
    <section class="card" id="payment-settings">
      <h2>Payments in the homeowner portal</h2>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <p class="muted">
        {settings.stripe_account_id && stripeReady
          ? 'Clients pay open invoices by card through Stripe Checkout.'
          : 'Clients see your payment instructions and your phone number.'}
        {settings.stripe_account_id && !stripeReady
          ? ' Card payments start once HomeBase has a Stripe key (STRIPE_SECRET_KEY).'
          : ''}
      </p>
      {canEdit ? (
        <form
          method="post"
          action="/app/settings/payments"
          hx-post="/app/settings/payments"
          hx-target="#payment-settings"
          hx-swap="outerHTML"
        >
          <CsrfField />
          <Field
            label="Stripe account id (optional)"
            name="stripe_account_id"
            value={v['stripe_account_id']}
            error={e['stripe_account_id']}
            placeholder="acct_…"
            autocomplete="off"
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

/** The card on a page of its own, for a browser without htmx. */
export function PaymentSettingsPage(props: CardProps) {
  return (
    <>
      <p class="crumbs">
        <a href="/app/settings">Settings</a> / Payments
      </p>
      <PaymentSettingsCard {...props} />
    </>
  )
}
