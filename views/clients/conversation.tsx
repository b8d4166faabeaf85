/**
 * A client's conversation: what we sent (with its delivery status) and what they answered (with
 * its tone), then the reply box, which "Suggest a reply" fills with a draft to edit.
 */
import type { ConversationItem } from '../../durable-objects/org/messaging/conversations'
import type { WithSentiment } from '../../src/sales/ai/sentiment'
import { SentimentBadge } from '../assistant/sentiment'
import type { FormErrors, FormValues } from '../fields'
import { stamp, words } from '../format'
import { CsrfField, useSession } from '../layout'

export type ConversationProps = {
  clientId: string
  /** The thread; a reply carries its tone when the assistant read it. */
  items: WithSentiment[]
  /** Where the form comes back to without JavaScript: the client page or the inbox thread. */
  back: 'client' | 'inbox'
  /** The channel the reply box starts on: the one they last wrote on, else a text. */
  channel?: 'sms' | 'email'
  values?: FormValues
  errors?: FormErrors
  notice?: string
  /** Why the last reply did not go (opted out, no phone…). */
  error?: string
}

/** How a message of ours went, in words: sent, delivered, failed or not sent and why. */
function statusWords(m: ConversationItem): string {
  switch (m.status) {
    case 'queued':
      return 'Sending'
    case 'sent':
      return 'Sent'
    case 'delivered':
      return 'Delivered'
    case 'failed':
      return m.reason ? `Failed: ${m.reason}` : 'Failed'
    case 'deferred':
      return m.reason?.startsWith('cap') ? 'Waiting for the daily limit' : 'Waiting for quiet hours to end'
    case 'skipped':
      return `Not sent: ${words(m.reason ?? 'skipped').toLowerCase()}`
    default:
      return ''
  }
}

/** The channel the reply box starts on: the one the client last wrote on. */
export function replyChannel(items: ConversationItem[]): 'sms' | 'email' {
  return [...items].reverse().find((i) => i.direction === 'in')?.channel ?? 'sms'
}

function Bubble({ m, tz }: { m: WithSentiment; tz: string }) {
  const ours = m.direction === 'out'
  return (
    <li class={`convo-item convo-${m.direction}`} data-direction={m.direction} data-channel={m.channel}>
      <p class="convo-meta small muted">
        {ours ? 'We sent' : 'They wrote'} · {m.channel === 'sms' ? 'Text' : 'Email'}
        {ours && m.purpose && m.purpose !== 'one_off' ? ` · ${words(m.purpose)}` : ''} ·{' '}
        <time datetime={m.created_at}>{stamp(m.created_at, tz)}</time>
        {ours ? null : (
          <>
            {' '}
            <SentimentBadge sentiment={m.sentiment} />
          </>
        )}
      </p>
      <div class="convo-bubble">
        {m.subject ? <p class="convo-subject strong">{m.subject}</p> : null}
        <p class="convo-body">{m.body || '(no text)'}</p>
      </div>
      {ours ? (
        <p class={`convo-status small badge badge-msg-${m.status}`} data-testid="message-status">
          {statusWords(m)}
        </p>
      ) : null}
    </li>
  )
}

/** The thread card with its reply box; htmx swaps the whole card after a reply. */
export function ConversationCard(p: ConversationProps) {
  const tz = useSession().organization.timezone
  const channel = (p.values?.['channel'] as 'sms' | 'email' | undefined) ?? p.channel ?? replyChannel(p.items)
  const action = `/app/inbox/${p.clientId}/reply`
  return (
    <section class="card convo" id="conversation" data-testid="conversation">
      <link rel="stylesheet" href="/conversation.css" />
      <link rel="stylesheet" href="/assistant.css" />
      <h2>Conversation</h2>
      {p.items.length === 0 ? (
        <p class="empty">No messages yet. Texts and emails you send, and the client's replies, show here.</p>
      ) : (
        // A column-reverse scroller opens at its end: the newest message shows first without JavaScript.
        <div class="convo-scroll">
          <ol class="convo-thread" aria-label="Messages, oldest first">
            {p.items.map((m) => (
              <Bubble m={m} tz={tz} />
            ))}
          </ol>
        </div>
      )}
      {p.notice ? (
        <p class="notice" role="status">
          {p.notice}
        </p>
      ) : null}
      {p.error ? (
        <p class="error" role="alert" data-testid="reply-error">
          {p.error}
        </p>
      ) : null}
      <form
        method="post"
        action={action}
        hx-post={action}
        hx-target="#conversation"
        hx-swap="outerHTML"
        class="convo-reply"
      >
        <CsrfField />
        <input type="hidden" name="back" value={p.back} />
        <div class="segmented" role="radiogroup" aria-label="Reply by">
          <input type="radio" id="reply-channel-sms" name="channel" value="sms" checked={channel === 'sms'} />
          <label for="reply-channel-sms">Text</label>
          <input type="radio" id="reply-channel-email" name="channel" value="email" checked={channel === 'email'} />
          <label for="reply-channel-email">Email</label>
        </div>
        <div class={p.errors?.['subject'] ? 'field has-error convo-subject-field' : 'field convo-subject-field'}>
          <label for="reply-subject">Subject</label>
          <input id="reply-subject" name="subject" maxlength={200} value={p.values?.['subject'] ?? ''} />
          <p class="hint">For an email; empty sends “Message from {useSession().organization.name}”.</p>
        </div>
        <div class={p.errors?.['body'] ? 'field has-error' : 'field'}>
          <label for="reply-body">Message</label>
          <textarea
            id="reply-body"
            name="body"
            rows={3}
            required
            aria-invalid={p.errors?.['body'] ? 'true' : undefined}
            aria-describedby={p.errors?.['body'] ? 'reply-body-error' : undefined}
          >
            {p.values?.['body'] ?? ''}
          </textarea>
          {p.errors?.['body'] ? (
            <p class="error" id="reply-body-error">
              {p.errors['body']}
            </p>
          ) : null}
        </div>
        <div class="form-actions">
          <button type="submit" class="primary">
            Send
          </button>
          <button
            type="submit"
            class="convo-suggest"
            formaction={`/app/inbox/${p.clientId}/draft`}
            formnovalidate
            hx-post={`/app/inbox/${p.clientId}/draft`}
            hx-target="#conversation"
            hx-swap="outerHTML"
            data-testid="suggest-reply"
          >
            Suggest a reply
          </button>
          <span class="hint">Goes now, quiet hours or not; never to someone who opted out.</span>
        </div>
      </form>
    </section>
  )
}
