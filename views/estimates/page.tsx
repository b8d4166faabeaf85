/**
 * An estimate's page: its amounts and state (sent, who approved and when, why declined, when it
 * expired, the job it became), its lines (read, or in the line editor while it can change),
 * sending by text or email, "Book as job" (when, the crew) once approved, and the homeowner's view once sent.
 * Every action is a plain form that swaps the whole panel under htmx.
 */
import type { EstimateDetail } from '../../durable-objects/org/sales/estimates/records'
import { FormAlert, type FormErrors, type FormValues } from '../fields'
import { longDate, money, stamp } from '../format'
import { LinesSheet } from '../invoices/sheet'
import { type CrewMember, CrewField } from '../jobs/crew'
import { LinesEditor, type LinesEditorProps } from '../jobs/lines'
import { CsrfField, Field, useSession } from '../layout'
import { EstimateBadge } from './list'

export type EstimatePanelProps = {
  estimate: EstimateDetail
  notice?: string | undefined
  error?: string | undefined
  /** The booking form as typed, with its errors. */
  values?: FormValues | undefined
  errors?: FormErrors | undefined
  /** The line editor, open. */
  editor?: Omit<LinesEditorProps, 'id' | 'action' | 'target'> | undefined
  /** Who the booking form offers as the job's crew. */
  team?: CrewMember[] | undefined
}

/** Where the person's name links: the client's page, else the lead's. */
const subjectHref = (e: EstimateDetail) =>
  e.org_client_id ? `/app/clients/${e.org_client_id}` : `/app/leads/${e.lead_id}`

/** The whole page: crumbs, heading, the homeowner's view and the panel. */
export function EstimatePage(props: EstimatePanelProps) {
  const e = props.estimate
  return (
    <>
      <p class="crumbs">
        <a href="/app/estimates">Estimates</a> / #{e.number}
      </p>
      <div class="page-head">
        <h1>
          Estimate #{e.number} · <a href={subjectHref(e)}>{e.name}</a>
        </h1>
        <div class="actions">
          {e.link ? (
            <a class="button" href={e.link} target="_blank" rel="noreferrer" data-testid="view-as-homeowner">
              View as homeowner
            </a>
          ) : null}
        </div>
      </div>
      <EstimatePanel {...props} />
    </>
  )
}

/** A form of the panel: posts to `/app/estimates/{id}/{what}`, or swaps the panel with the answer under htmx. */
const panelForm = (id: string, what: string) => ({
  method: 'post' as const,
  action: `/app/estimates/${id}/${what}`,
  'hx-post': `/app/estimates/${id}/${what}`,
  'hx-target': '#estimate-panel',
  'hx-swap': 'outerHTML',
})

/** The state in facts: sent, approved by whom, declined why, expired, booked. */
function Facts({ estimate: e, tz }: { estimate: EstimateDetail; tz: string }) {
  return (
    <dl class="facts">
      <dt>Status</dt>
      <dd>
        <EstimateBadge estimate={e} />
      </dd>
      <dt>Valid until</dt>
      <dd>{e.valid_until ? longDate(e.valid_until) : '—'}</dd>
      <dt>Sent</dt>
      <dd data-testid="estimate-sent">{e.sent_at ? stamp(e.sent_at, tz) : 'Not sent yet'}</dd>
      {e.approved_at ? (
        <>
          <dt>Approved</dt>
          <dd data-testid="estimate-approval">
            by <strong>{e.approved_name}</strong>, {stamp(e.approved_at, tz)}
          </dd>
        </>
      ) : null}
      {e.declined_at ? (
        <>
          <dt>Declined</dt>
          <dd data-testid="estimate-decline">
            {stamp(e.declined_at, tz)}
            {e.decline_reason ? <span class="pre">: {e.decline_reason}</span> : null}
          </dd>
        </>
      ) : null}
      {e.expired_at ? (
        <>
          <dt>Expired</dt>
          <dd>{stamp(e.expired_at, tz)}</dd>
        </>
      ) : null}
      {e.job_id ? (
        <>
          <dt>Job</dt>
          <dd>
            <a href={`/app/jobs/${e.job_id}`} data-testid="estimate-job">
              View the booked job
            </a>
          </dd>
        </>
      ) : null}
      {e.notes ? (
        <>
          <dt>Notes</dt>
          <dd class="pre">{e.notes}</dd>
        </>
      ) : null}
    </dl>
  )
}

/** Everything the estimate's actions change; each action swaps this panel. */
export function EstimatePanel({ estimate: e, notice, error, values, errors, editor, team }: EstimatePanelProps) {
  const tz = useSession().organization.timezone
  const open = e.status === 'draft' || e.status === 'sent'
  return (
    <section id="estimate-panel" class="stack">
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {error ? (
        <p class="alert" role="alert">
          {error}
        </p>
      ) : null}
      <div class="card">
        <div class="amounts">
          <div>
            <span class="muted small">Subtotal</span>
            <strong>{money(e.subtotal_cents)}</strong>
          </div>
          <div>
            <span class="muted small">Tax ({e.tax_rate}%)</span>
            <strong>{money(e.tax_cents)}</strong>
          </div>
          <div>
            <span class="muted small">Total</span>
            <strong data-testid="estimate-amount">{money(e.total_cents)}</strong>
          </div>
        </div>
        <Facts estimate={e} tz={tz} />
      </div>
      {editor ? (
        <LinesEditor {...editor} id="estimate-lines" action={`/app/estimates/${e.id}/lines`} target="#estimate-panel">
          <p class="muted small">
            {e.status === 'sent' ? 'Saving takes the estimate back to a draft: send it again.' : ''}
          </p>
          <p>
            <a
              href={`/app/estimates/${e.id}`}
              hx-get={`/app/estimates/${e.id}`}
              hx-target="#estimate-panel"
              hx-swap="outerHTML"
            >
              Cancel
            </a>
          </p>
        </LinesEditor>
      ) : (
        <section id="estimate-lines" class="card">
          <h2>Line items</h2>
          <LinesSheet lines={e.line_items} invoice={{ ...e, paid_cents: 0 }} withPaid={false} showTaxable />
          {open ? (
            <p>
              <a
                class="button"
                href={`/app/estimates/${e.id}?edit=lines#estimate-lines`}
                hx-get={`/app/estimates/${e.id}?edit=lines`}
                hx-target="#estimate-panel"
                hx-swap="outerHTML"
                data-testid="edit-estimate-lines"
              >
                Edit lines
              </a>
            </p>
          ) : null}
        </section>
      )}
      {open ? <SendCard estimate={e} /> : null}
      {e.status === 'approved' && !e.job_id ? (
        <BookForm estimate={e} values={values} errors={errors} team={team ?? []} />
      ) : null}
      {e.status === 'draft' ? (
        <form {...panelForm(e.id, 'delete')} class="card" hx-confirm={`Delete estimate #${e.number}?`}>
          <CsrfField />
          <button type="submit" class="danger" data-testid="delete-estimate">
            Delete estimate
          </button>
        </form>
      ) : null}
    </section>
  )
}

/** Send by text or email: a message with the link where the homeowner approves or declines. */
function SendCard({ estimate: e }: { estimate: EstimateDetail }) {
  return (
    <div class="card">
      <h2>Send for approval</h2>
      <p class="muted small">
        A message with a link where they see this estimate, and approve it by typing their name or decline it.
        {e.status === 'sent' ? ' Sending again sends a new link; the old one stops working.' : ''}
        {e.org_client_id ? '' : ' The lead gets a client card to send it to.'}
      </p>
      <form {...panelForm(e.id, 'send')} class="button-row">
        <CsrfField />
        <button type="submit" name="channel" value="sms" class="primary" data-testid="send-estimate-sms">
          Send by text
        </button>
        <button type="submit" name="channel" value="email" data-testid="send-estimate-email">
          Send by email
        </button>
      </form>
    </div>
  )
}

/** Books the approved work: when, and whether to confirm it to the client. */
function BookForm({
  estimate: e,
  values,
  errors,
  team,
}: {
  estimate: EstimateDetail
  values?: FormValues | undefined
  errors?: FormErrors | undefined
  team: CrewMember[]
}) {
  const v = values ?? { notify: '1' }
  const er = errors ?? {}
  return (
    <form {...panelForm(e.id, 'job')} class="card" novalidate data-testid="book-estimate">
      <h2>Book as job</h2>
      <p class="muted small">The job gets this estimate's lines, so its invoice starts from them.</p>
      <CsrfField />
      <FormAlert errors={er} />
      <div class="cols-2">
        <Field label="Start" name="start" type="datetime-local" value={v['start']} error={er['start']} required />
        <Field
          label="Length in minutes (optional)"
          name="duration"
          inputmode="numeric"
          value={v['duration']}
          error={er['duration']}
        />
      </div>
      <CrewField
        team={team}
        chosen={(v['assigned_to'] ?? '').split(',').filter(Boolean)}
        error={er['assigned_to']}
        idPrefix="book-"
      />
      <div class="check">
        <input type="checkbox" id="f-notify" name="notify" value="1" checked={v['notify'] !== undefined} />
        <label for="f-notify">Send a confirmation</label>
      </div>
      <button type="submit" class="primary">
        Book as job
      </button>
    </form>
  )
}
