/** One provider in the portal: who they are, your visits, your invoices, and how they may contact you. */
import type { PortalInvoice, PortalJob, PortalView } from '../../durable-objects/org/portal/view'
import type { Consent } from '../../src/people/consent'
import { dateTime, longDate, money, phone, timeOf } from '../format'
import { PortalCsrf } from './layout'

/** Where a provider's forms post, and the CSRF token a signed-in homeowner's forms carry. */
export type FormTarget = { base: string; csrf: string | null }

const STATUS: Record<PortalJob['status'], string> = {
  scheduled: 'Booked',
  in_progress: 'Under way',
  blocked: 'On hold',
  completed: 'Done',
  cancelled: 'Cancelled',
}

/** Past visits and invoices shown per provider; the rest are with the business. */
const PAST_SHOWN = 10
const INVOICES_SHOWN = 20

/** A provider's whole section; `heading` is the level of its name (h1 on a one-provider page). */
export function ProviderSection({
  view,
  target,
  consent,
  heading = 'h2',
}: {
  view: PortalView
  target: FormTarget
  consent: Consent | null
  heading?: 'h1' | 'h2'
}) {
  const id = view.business.organization_id
  const Name = heading
  const Sub = heading === 'h1' ? 'h2' : 'h3'
  return (
    <section class="provider" aria-labelledby={`p-${id}`} data-testid="provider">
      <Name id={`p-${id}`}>{view.business.name}</Name>
      {view.business.phone ? (
        <p class="muted">
          Call <a href={`tel:${view.business.phone}`}>{phone(view.business.phone)}</a>
        </p>
      ) : null}
      <Sub>Upcoming visits</Sub>
      {view.upcoming.length === 0 ? (
        <p class="muted">No visits booked.</p>
      ) : (
        <ul class="list">
          {view.upcoming.map((j) => (
            <li>
              <JobCard job={j} target={target} />
            </li>
          ))}
        </ul>
      )}
      <Sub>Invoices</Sub>
      {view.invoices.length === 0 ? (
        <p class="muted">No invoices.</p>
      ) : (
        <ul class="list">
          {view.invoices.slice(0, INVOICES_SHOWN).map((i) => (
            <li>
              <InvoiceCard invoice={i} target={target} />
            </li>
          ))}
        </ul>
      )}
      {view.past.length === 0 ? null : (
        <>
          <Sub>Past visits</Sub>
          <ul class="list">
            {view.past.slice(0, PAST_SHOWN).map((j) => (
              <li>
                <JobCard job={j} target={target} />
              </li>
            ))}
          </ul>
        </>
      )}
      {consent ? (
        <Preferences orgId={id} name={view.business.name} consent={consent} target={target} Heading={Sub} />
      ) : null}
    </section>
  )
}

/** One visit: what, when (on the homeowner's clock), where, its state and what they can do. */
export function JobCard({ job, target }: { job: PortalJob; target: FormTarget }) {
  const state = job.reschedule_requested
    ? 'New time requested'
    : job.confirmed_at && job.status === 'scheduled'
      ? 'Confirmed'
      : STATUS[job.status]
  return (
    <article class="item" data-testid="job" data-job={job.id}>
      <p class="title">
        {job.service ?? 'Visit'} <span class={`tag tag-${job.status}`}>{state}</span>
      </p>
      <p>
        <time datetime={job.start_at}>
          {dateTime(job.start_at, job.time_zone)}
          {job.end_at ? ` – ${timeOf(job.end_at, job.time_zone)}` : ''}
        </time>
      </p>
      {job.address ? <p class="muted">{job.address}</p> : null}
      <div class="actions">
        {job.can_confirm ? (
          <form method="post" action={`${target.base}/jobs/${job.id}/confirm`}>
            <PortalCsrf csrf={target.csrf} />
            <button type="submit" class="primary">
              Confirm this visit
            </button>
          </form>
        ) : null}
        {job.can_reschedule ? (
          <a class="button" href={`${target.base}/jobs/${job.id}/reschedule`}>
            Ask for another time
          </a>
        ) : null}
        {job.can_rate ? (
          <form method="post" action={`${target.base}/jobs/${job.id}/review`}>
            <PortalCsrf csrf={target.csrf} />
            <button type="submit">Rate this visit</button>
          </form>
        ) : null}
      </div>
    </article>
  )
}

/** One invoice: amount, due date, paid or not, and a way to pay it. */
export function InvoiceCard({ invoice, target }: { invoice: PortalInvoice; target: FormTarget }) {
  const open = invoice.status === 'open' && invoice.balance_cents > 0
  return (
    <article class="item" data-testid="invoice">
      <p class="title">
        Invoice #{invoice.number} · {money(invoice.total_cents)}{' '}
        <span class={`tag tag-${open ? (invoice.overdue ? 'overdue' : 'open') : 'paid'}`}>
          {open ? (invoice.overdue ? 'Overdue' : 'To pay') : 'Paid'}
        </span>
      </p>
      <p class="muted">
        {open
          ? `${money(invoice.balance_cents)} due ${longDate(invoice.due_date)}`
          : invoice.paid_at
            ? `Paid ${longDate(invoice.paid_at.slice(0, 10))}`
            : 'Paid'}
      </p>
      {open ? (
        <form method="post" action={`${target.base}/invoices/${invoice.id}/pay`} class="actions">
          <PortalCsrf csrf={target.csrf} />
          <button type="submit" class="primary">
            Pay {money(invoice.balance_cents)}
          </button>
        </form>
      ) : null}
    </article>
  )
}

/** Texts and emails from this provider, on or off; applied to the next message. */
function Preferences({
  orgId,
  name,
  consent,
  target,
  Heading,
}: {
  orgId: string
  name: string
  consent: Consent
  target: FormTarget
  Heading: 'h2' | 'h3'
}) {
  return (
    <form method="post" action={`${target.base}/preferences`} class="prefs">
      <PortalCsrf csrf={target.csrf} />
      <Heading>How {name} may contact you</Heading>
      <p class="muted">Visit reminders, invoices and news. Turning one off applies to the next message.</p>
      <div class="check">
        <input type="checkbox" id={`sms-${orgId}`} name="sms" value="on" checked={consent.sms_opt_in} />
        <label for={`sms-${orgId}`}>Text messages</label>
      </div>
      <div class="check">
        <input type="checkbox" id={`email-${orgId}`} name="email" value="on" checked={consent.email_opt_in} />
        <label for={`email-${orgId}`}>Emails</label>
      </div>
      <button type="submit">Save my choices</button>
    </form>
  )
}
