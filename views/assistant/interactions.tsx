/** /app/assistant: every call to the assistant, newest first, by kind; each opens to its prompt and answer. */
import type { Interaction } from '../../durable-objects/org/sales/assistant/interactions'
import type { AiKind } from '../../durable-objects/org/schema'
import { stamp } from '../format'
import { useSession } from '../layout'

const KIND_WORDS: Record<AiKind, string> = { brief: 'Brief', sentiment: 'Sentiment', reply_draft: 'Reply draft' }

/** Who asked: a staff member, an API key, or nobody (read automatically as a reply came in). */
function askedBy(requestedBy: string | null, me: string): string {
  if (requestedBy === null) return 'automatic'
  if (requestedBy === 'api') return 'by the API'
  return requestedBy === me ? 'asked by you' : 'asked by staff'
}

/** What an interaction was about, linked when it has a page. */
function Subject({ i }: { i: Interaction }) {
  if (i.subject_type === 'client') return <a href={`/app/clients/${i.subject_id}`}>a client</a>
  if (i.subject_type === 'lead') return <a href={`/app/leads/${i.subject_id}`}>a lead</a>
  return <>a reply</>
}

const filterHref = (kind?: AiKind) => (kind ? `/app/assistant?kind=${kind}` : '/app/assistant')

export function InteractionsPage(p: { items: Interaction[]; kind?: AiKind; nextCursor: string | null }) {
  const session = useSession()
  const tz = session.organization.timezone
  return (
    <>
      <link rel="stylesheet" href="/assistant.css" />
      <h1>Assistant</h1>
      <p class="muted">
        Every brief, reply tone and reply draft the assistant gave, with exactly what it was asked. Only this business's
        own records go into a prompt.
      </p>
      <nav class="filters" aria-label="Show">
        <a href={filterHref()} aria-current={p.kind ? undefined : 'page'}>
          All
        </a>
        {(Object.keys(KIND_WORDS) as AiKind[]).map((k) => (
          <a href={filterHref(k)} aria-current={p.kind === k ? 'page' : undefined}>
            {KIND_WORDS[k]}
          </a>
        ))}
      </nav>
      {p.items.length === 0 ? (
        <p class="empty" data-testid="interactions-empty">
          Nothing yet. Ask for a brief on a client's page, or suggest a reply in the inbox.
        </p>
      ) : (
        <ul class="rows interactions" data-testid="interactions">
          {p.items.map((i) => (
            <li class="row interaction" data-kind={i.kind} data-id={i.id}>
              <details>
                <summary>
                  <span class="badge">{KIND_WORDS[i.kind]}</span> of <Subject i={i} /> ·{' '}
                  <span class="muted small">
                    {stamp(i.created_at, tz)} · {i.model} · {askedBy(i.requested_by, session.accountId)}
                  </span>
                </summary>
                <h3 class="small">Prompt</h3>
                <pre class="interaction-text" data-testid="interaction-prompt">
                  {i.prompt}
                </pre>
                <h3 class="small">Answer</h3>
                <pre class="interaction-text" data-testid="interaction-response">
                  {i.response}
                </pre>
              </details>
            </li>
          ))}
        </ul>
      )}
      {p.nextCursor ? (
        <p>
          <a
            class="button"
            href={`/app/assistant?${new URLSearchParams({ ...(p.kind ? { kind: p.kind } : {}), cursor: p.nextCursor })}`}
          >
            Older
          </a>
        </p>
      ) : null}
    </>
  )
}
