/** The message log (with the dead-letter view and retry) and the messaging settings with template preview. */
import type { MessageRow } from '../durable-objects/org/messaging/deliveries'
import type { TemplateRow } from '../durable-objects/org/messaging/templates'
import { TEMPLATE_VARIABLES } from '../src/messaging/templates'
import { dateTime, words } from './format'
import { CsrfField, useSession } from './layout'
import { LeadTimesSection, type LeadTimesState } from './settings/reminders'
import type { LeadTimes } from '../durable-objects/org/crm/reminders'

export type MessageFilters = { channel?: string; status?: string; purpose?: string; org_client_id?: string }

const STATUSES = ['queued', 'sent', 'delivered', 'failed', 'skipped', 'deferred']

export function MessagesPage(props: { items: MessageRow[]; filters: MessageFilters }) {
  const f = props.filters
  const failedView = f.status === 'failed'
  return (
    <>
      <h1>{failedView ? 'Failed messages' : 'Messages'}</h1>
      <p class="muted">
        Every message HomeBase sent or chose not to send, with why. Times in {useSession().organization.timezone}.
      </p>
      <form method="get" action="/app/messages" class="inline-form" aria-label="Filter messages">
        <span class="filter">
          <label for="m-channel">Channel</label>
          <select id="m-channel" name="channel">
            <option value="">All</option>
            {['sms', 'email'].map((c) => (
              <option value={c} selected={f.channel === c}>
                {c.toUpperCase()}
              </option>
            ))}
          </select>
        </span>
        <span class="filter">
          <label for="m-status">Status</label>
          <select id="m-status" name="status">
            <option value="">All</option>
            {STATUSES.map((s) => (
              <option value={s} selected={f.status === s}>
                {s}
              </option>
            ))}
          </select>
        </span>
        <span class="filter">
          <label for="m-purpose">Purpose</label>
          <select id="m-purpose" name="purpose">
            <option value="">All</option>
            {['job_upcoming', 'invoice_due'].map((p) => (
              <option value={p} selected={f.purpose === p}>
                {words(p)}
              </option>
            ))}
          </select>
        </span>
        {f.org_client_id ? <input type="hidden" name="org_client_id" value={f.org_client_id} /> : null}
        <button type="submit">Filter</button>
        <a href="/app/messages?status=failed">Failed messages</a>
      </form>
      {props.items.length === 0 ? (
        <p class="empty">No messages match.</p>
      ) : (
        <ul class="rows" id="message-rows">
          {props.items.map((m) => (
            <MessageItem message={m} />
          ))}
        </ul>
      )}
    </>
  )
}

/** One message: who, what, and why it went or did not; failed ones can be retried in place. */
export function MessageItem({ message: m }: { message: MessageRow }) {
  const tz = useSession().organization.timezone
  return (
    <li class="row message-row" id={`msg-${m.id}`}>
      <div class="row-main">
        <div>
          <span class={`badge badge-msg-${m.status}`}>{m.status}</span> <strong>{m.channel.toUpperCase()}</strong> to{' '}
          {m.to ?? '—'} · {words(m.purpose)}
          {m.org_client_id ? (
            <>
              {' '}
              · <a href={`/app/clients/${m.org_client_id}`}>client</a>
            </>
          ) : null}
        </div>
        {m.subject ? (
          <div>
            <strong>{m.subject}</strong>
          </div>
        ) : null}
        <div class="message-body">{m.body}</div>
        <div class="muted small">
          {dateTime(m.created_at, tz)}
          {m.reason ? ` · why: ${m.reason}` : ''}
          {m.status === 'skipped' && m.error ? ` (${m.error})` : ''}
          {m.send_after && m.status === 'deferred' ? ` · goes out ${dateTime(m.send_after, tz)}` : ''}
          {m.attempts ? ` · attempts: ${m.attempts}` : ''}
          {m.provider_message_id ? ` · ${m.provider_message_id}` : ''}
        </div>
      </div>
      {m.status === 'failed' ? (
        <form
          method="post"
          action={`/app/messages/${m.id}/retry`}
          hx-post={`/app/messages/${m.id}/retry`}
          hx-target={`#msg-${m.id}`}
          hx-swap="outerHTML"
        >
          <CsrfField />
          <button type="submit">Retry</button>
        </form>
      ) : null}
    </li>
  )
}

export type MessagingSettings = {
  quiet_hours: { start: string; end: string }
  sms_from: string | null
  timezone: string
  reminders: LeadTimes
}

export function MessagingSettingsPage(props: {
  settings: MessagingSettings
  templates: TemplateRow[]
  saved?: boolean
  error?: string
  /** The reminder lead-times form as it came back (src/routes/pages/settings-reminders.tsx). */
  leadTimes?: LeadTimesState
}) {
  const s = props.settings
  return (
    <>
      <h1>Reminders and messages</h1>
      {props.saved ? (
        <p class="notice" role="status">
          Saved.
        </p>
      ) : null}
      {props.error ? (
        <p class="alert" role="alert">
          {props.error}
        </p>
      ) : null}
      <section class="card">
        <h2>Quiet hours</h2>
        <p class="muted">
          No automated message goes out between these times on the client's clock (from their property's state, else{' '}
          {s.timezone}). Messages due then go out when quiet hours end.
        </p>
        <form method="post" action="/app/settings/messaging" class="inline-form">
          <CsrfField />
          <label for="q-start">From</label>
          <input id="q-start" name="quiet_start" type="time" value={s.quiet_hours.start} required />
          <label for="q-end">Until</label>
          <input id="q-end" name="quiet_end" type="time" value={s.quiet_hours.end} required />
          <button type="submit">Save quiet hours</button>
        </form>
        <p class="muted small">Texts are sent from {s.sms_from ?? 'the HomeBase number'}.</p>
      </section>
      <LeadTimesSection leadTimes={s.reminders} {...props.leadTimes} />
      {props.templates.map((t) => (
        <TemplateEditor template={t} />
      ))}
    </>
  )
}

function TemplateEditor({ template: t }: { template: TemplateRow }) {
  const id = `${t.key}-${t.channel}`
  return (
    <section class="card" id={`tpl-${id}`}>
      <h2>
        {words(t.key)} · {t.channel.toUpperCase()} {t.customized ? <span class="badge">customized</span> : null}
      </h2>
      <form method="post" action={`/app/settings/messaging/templates/${t.key}/${t.channel}`}>
        <CsrfField />
        {t.channel === 'email' ? (
          <div class="field">
            <label for={`s-${id}`}>Subject</label>
            <input
              id={`s-${id}`}
              name="subject"
              value={t.subject}
              hx-post="/app/settings/messaging/preview"
              hx-trigger="input changed delay:300ms"
              hx-target={`#p-${id}`}
              hx-include="closest form"
            />
          </div>
        ) : null}
        <div class="field">
          <label for={`b-${id}`}>Message</label>
          <textarea
            id={`b-${id}`}
            name="body"
            rows={t.channel === 'sms' ? 3 : 7}
            maxlength={1600}
            hx-post="/app/settings/messaging/preview"
            hx-trigger="input changed delay:300ms, load"
            hx-target={`#p-${id}`}
            hx-include="closest form"
          >
            {t.body}
          </textarea>
          <p class="muted small">
            Variables: {TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(' ')}. Empty it to restore the default.
          </p>
        </div>
        <input type="hidden" name="channel" value={t.channel} />
        <div class="preview" id={`p-${id}`} aria-live="polite"></div>
        <button type="submit">Save</button>
      </form>
    </section>
  )
}

/** The live preview of a template, rendered with a real client's data. */
export function TemplatePreview(props: { channel: string; subject: string; body: string; sample: string }) {
  return (
    <div>
      <p class="muted small">Preview with {props.sample}:</p>
      {props.channel === 'email' ? (
        <p>
          <strong>{props.subject}</strong>
        </p>
      ) : null}
      <p class={props.channel === 'sms' ? 'sms-bubble' : 'email-body'} data-testid="template-preview">
        {props.body}
      </p>
      {props.channel === 'sms' ? (
        <p class="muted small">
          {props.body.length} characters · {Math.max(1, Math.ceil(props.body.length / 153))} SMS
        </p>
      ) : null}
    </div>
  )
}
