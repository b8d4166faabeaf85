/**
 * The homeowner's page of an estimate (/e/{token}): the business's wordmark in its colour, the
 * lines and totals, valid until, notes; Approve with a typed full name, or Decline with a reason.
 * Phone first, plain forms (no JavaScript). An answered or expired estimate only says its state.
 */
import type { Child } from 'hono/jsx'
import type { EstimateLinkView } from '../../durable-objects/org/sales/estimates/view'
import type { FormErrors, FormValues } from '../fields'
import { InvoiceLines } from '../portal/invoice'
import { longDate, phone, stamp } from '../format'
import { Shell } from '../layout'

/** A brand colour only when it is a plain #rrggbb (it is written into the page's CSS). */
const brand = (color: string | null) => (color && /^#[0-9a-fA-F]{6}$/.test(color) ? color : '#0f766e')

export type EstimatePublicProps = {
  view: EstimateLinkView
  /** Where the forms post: `/e/{token}`. */
  action: string
  notice?: string | undefined
  values?: FormValues
  errors?: FormErrors
}

/** A page of the estimate link, in the business's colours, kept out of search engines. */
function BrandPage({ view, title, children }: { view: EstimateLinkView; title: string; children?: Child }) {
  const b = view.business
  const accent = brand(b.brand_color)
  return (
    <Shell
      title={title}
      stylesheet="/portal.css"
      css={`:root{--brand:${accent}}.bar{border-top:4px solid ${accent}}`}
      unlisted
      skipLink
      header={
        <header class="bar">
          <span class="logo" data-testid="estimate-brand">
            {b.logo_text || b.name}
          </span>
          {b.phone ? <a href={`tel:${b.phone}`}>{phone(b.phone)}</a> : null}
        </header>
      }
    >
      {children}
    </Shell>
  )
}

/** What the estimate's state says where the buttons would be. */
function Settled({ view }: { view: EstimateLinkView }) {
  const e = view.estimate
  const tz = view.business.time_zone
  if (e.status === 'approved')
    return (
      <p class="notice" data-testid="estimate-state">
        Approved by {e.approved_name} on {stamp(e.approved_at!, tz)}. {view.business.name} will be in touch to schedule
        the work.
      </p>
    )
  if (e.status === 'declined')
    return (
      <p class="alert" data-testid="estimate-state">
        Declined on {stamp(e.declined_at!, tz)}
        {e.decline_reason ? `: ${e.decline_reason}` : '.'}
      </p>
    )
  if (e.status === 'expired')
    return (
      <p class="alert" data-testid="estimate-state">
        This estimate expired{e.valid_until ? ` after ${longDate(e.valid_until)}` : ''}. Ask {view.business.name} for a
        new one.
      </p>
    )
  return (
    <p class="alert" data-testid="estimate-state">
      This estimate is being revised. {view.business.name} will send you the new one.
    </p>
  )
}

/** The estimate with its answer forms (while it is open) or its state. */
export function EstimatePublicPage({ view, action, notice, values = {}, errors = {} }: EstimatePublicProps) {
  const e = view.estimate
  const open = e.status === 'sent'
  return (
    <BrandPage view={view} title={`Estimate #${e.number} from ${view.business.name}`}>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <h1>
        Estimate #{e.number} from {view.business.name}
      </h1>
      {e.valid_until ? (
        <p class="muted" data-testid="estimate-valid-until">
          Valid until {longDate(e.valid_until)}
        </p>
      ) : null}
      <InvoiceLines lines={{ ...e, paid_cents: 0 }} />
      {e.notes ? (
        <section class="item">
          <h2>Notes</h2>
          <p class="pre">{e.notes}</p>
        </section>
      ) : null}
      {open ? <AnswerForms action={action} values={values} errors={errors} /> : <Settled view={view} />}
    </BrandPage>
  )
}

/** Approve with a typed full name (the signature), or decline with an optional reason. */
function AnswerForms({ action, values, errors }: { action: string; values: FormValues; errors: FormErrors }) {
  return (
    <>
      <form method="post" action={`${action}/approve`} class="card" novalidate>
        <h2>Approve</h2>
        <div class={errors['name'] ? 'field has-error' : 'field'}>
          <label for="approve-name">Type your full name to sign</label>
          <input
            id="approve-name"
            name="name"
            autocomplete="name"
            value={values['name'] ?? ''}
            minlength={2}
            maxlength={100}
            required
            aria-invalid={errors['name'] ? 'true' : undefined}
            aria-describedby={errors['name'] ? 'approve-name-error' : undefined}
          />
          {errors['name'] ? (
            <p class="error" id="approve-name-error">
              {errors['name']}
            </p>
          ) : null}
        </div>
        <p class="muted">By typing your name you approve this estimate and the work it describes.</p>
        <button type="submit" class="primary" data-testid="approve-estimate">
          Approve estimate
        </button>
      </form>
      <form method="post" action={`${action}/decline`} class="card">
        <h2>Decline</h2>
        <div class={errors['reason'] ? 'field has-error' : 'field'}>
          <label for="decline-reason">Tell them why (optional)</label>
          <textarea id="decline-reason" name="reason" rows={3} maxlength={1000}>
            {values['reason'] ?? ''}
          </textarea>
          {errors['reason'] ? <p class="error">{errors['reason']}</p> : null}
        </div>
        <button type="submit" data-testid="decline-estimate">
          Decline estimate
        </button>
      </form>
    </>
  )
}

/** The one page for every link that opens nothing: changed, made up, replaced by a newer send, or another business's. */
export function EstimateLinkInvalid() {
  return (
    <Shell title="Link not valid" stylesheet="/portal.css" unlisted skipLink header={<header class="bar" />}>
      <section class="card">
        <h1>This link is not valid</h1>
        <p>Check that you opened the whole link from the message. A newer estimate may have replaced this one.</p>
      </section>
    </Shell>
  )
}
