/** The inbox: clients who replied (unread first), one client's thread with the reply box, and the nav's unread count. */
import type { ClientDetail } from '../durable-objects/org/crm/clients'
import type { ConversationItem, InboxItem } from '../durable-objects/org/messaging/conversations'
import type { WithSentiment } from '../src/sales/ai/sentiment'
import { SentimentBadge } from './assistant/sentiment'
import { ConversationCard, type ConversationProps } from './clients/conversation'
import { personName, phone, stamp } from './format'
import { useSession } from './layout'

/** A line of the last message: who wrote it and its first words. */
function snippet(m: ConversationItem): string {
  const words = (m.subject && m.direction === 'in' && !m.body ? m.subject : m.body).replace(/\s+/g, ' ').trim()
  return `${m.direction === 'out' ? 'You: ' : ''}${words.length > 120 ? `${words.slice(0, 120)}…` : words}`
}

/** Clients who replied: those with unread replies first, then the latest conversation first. */
export function InboxPage({
  items,
  unreadOnly,
}: {
  items: Array<InboxItem & { last_message: WithSentiment }>
  unreadOnly: boolean
}) {
  const tz = useSession().organization.timezone
  const sorted = [...items].sort((a, b) => Number(b.unread > 0) - Number(a.unread > 0))
  return (
    <>
      <link rel="stylesheet" href="/conversation.css" />
      <link rel="stylesheet" href="/assistant.css" />
      <h1>Inbox</h1>
      <p class="muted">Clients' replies to your texts and emails. Open one to read the thread and answer.</p>
      <nav class="filters" aria-label="Show">
        <a href="/app/inbox" aria-current={unreadOnly ? undefined : 'page'}>
          All
        </a>
        <a href="/app/inbox?unread=true" aria-current={unreadOnly ? 'page' : undefined}>
          Unread
        </a>
      </nav>
      {sorted.length === 0 ? (
        <p class="empty" data-testid="inbox-empty">
          {unreadOnly ? 'Nothing unread.' : 'No replies yet. When a client answers a text or an email, it shows here.'}
        </p>
      ) : (
        <ul class="rows" data-testid="inbox-rows">
          {sorted.map((i) => (
            <li class={i.unread > 0 ? 'row inbox-row unread' : 'row inbox-row'} data-client={i.org_client_id}>
              <div class="row-main">
                <div>
                  <a href={`/app/inbox/${i.org_client_id}`}>
                    <strong>{personName(i.client)}</strong>
                  </a>{' '}
                  {i.unread > 0 ? (
                    <span class="badge badge-overdue" data-testid="unread-count">
                      {i.unread} unread
                    </span>
                  ) : null}
                  {i.last_message.direction === 'in' ? <SentimentBadge sentiment={i.last_message.sentiment} /> : null}
                  <p class="inbox-snippet muted">{snippet(i.last_message)}</p>
                </div>
                <span class="muted small">
                  {i.last_message.channel === 'sms' ? 'Text' : 'Email'} · {stamp(i.last_message.created_at, tz)}
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  )
}

/** One client's thread, opened from the inbox (opening it marks it read). */
export function ThreadPage(props: { client: ClientDetail } & Omit<ConversationProps, 'clientId' | 'back'>) {
  const { client, ...thread } = props
  const contact = [phone(client.primary_phone_e164), client.primary_email].filter(Boolean).join(' · ')
  return (
    <>
      <p class="crumbs">
        <a href="/app/inbox">Inbox</a> / {personName(client)}
      </p>
      <div class="page-head">
        <div>
          <h1>{personName(client)}</h1>
          {contact ? <p class="muted small">{contact}</p> : null}
        </div>
        <div class="actions">
          <a class="button" href={`/app/clients/${client.org_client_id}`}>
            Client page
          </a>
        </div>
      </div>
      <ConversationCard clientId={client.org_client_id} back="inbox" {...thread} />
    </>
  )
}

/** How many conversations have unread replies, beside Inbox in the nav; nothing when none. */
export function UnreadConversationsBadge({ count }: { count: number }) {
  if (count === 0) return null
  return (
    <span class="badge badge-overdue" data-testid="inbox-badge" title={`${count} conversations with unread replies`}>
      {count}
      <span class="visually-hidden"> unread</span>
    </span>
  )
}
