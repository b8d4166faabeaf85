/** The local outbox, like a mail catcher: every SMS and email the outbox provider stored, newest first. */
import { raw } from 'hono/html'
import { emailHtml } from '../src/messaging/templates'
import { BrandHeader, Shell } from './layout'

export type OutboxItem = {
  id: string
  channel: 'sms' | 'email'
  to: string
  from: string
  subject: string | null
  body: string
  created_at: string
  organization: string
}

/** Links in an SMS made clickable, the rest escaped. */
function linkify(text: string) {
  const parts = text.split(/(https?:\/\/\S+)/g)
  return parts.map((p, i) => (i % 2 === 1 ? <a href={p}>{p}</a> : p))
}

export function OutboxPage({
  items,
  scope,
  codesHidden = false,
}: {
  items: OutboxItem[]
  scope: string
  codesHidden?: boolean
}) {
  return (
    <Shell title="Outbox · HomeBase" header={<BrandHeader href="/app" note="Outbox" />}>
      <h1>Outbox</h1>
      <p class="muted">Messages the local outbox provider kept instead of sending ({scope}). Newest first.</p>
      {codesHidden ? (
        <p class="muted" data-testid="codes-hidden">
          Homeowners' sign-in codes are hidden here: they would open the homeowner's other providers.
        </p>
      ) : null}
      {items.length === 0 ? (
        <p class="empty">
          Nothing sent yet. Reminders appear here when the clock runs: open <code>/__scheduled?cron=*+*+*+*+*</code>.
        </p>
      ) : null}
      <ul class="rows" data-testid="outbox">
        {items.map((m) => (
          <li class="card outbox-item" data-channel={m.channel}>
            <div class="muted small">
              {m.channel.toUpperCase()} · {m.organization} · from {m.from} to <strong>{m.to}</strong> ·{' '}
              {m.created_at.replace('T', ' ').slice(0, 19)} UTC
            </div>
            {m.channel === 'email' ? (
              <>
                <h2>{m.subject}</h2>
                {/* The body was escaped by emailHtml before links were added; nothing raw comes from users. */}
                <div class="email-body">{raw(emailHtml(m.body))}</div>
              </>
            ) : (
              <p class="sms-bubble">{linkify(m.body)}</p>
            )}
          </li>
        ))}
      </ul>
    </Shell>
  )
}
