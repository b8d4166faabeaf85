/** Duplicate cards: the suggestions, the side-by-side merge preview, and the history of merges with undo and the audit log. */
import type { ClientBrief, DuplicatePair, DuplicateReason } from '../durable-objects/org/merges/duplicates'
import type { AuditItem, MergeItem, MergePreview, MergeSide } from '../durable-objects/org/merges/merges'
import type { Child } from 'hono/jsx'
import { money, personName, phone, stamp, words } from './format'
import { CsrfField, useSession } from './layout'

const REASON_WORDS: Record<DuplicateReason, string> = {
  same_email: 'Same email',
  same_phone: 'Same phone',
  same_name_and_address: 'Same name and address',
}

/** What moves, in the order staff think of it; `timeline_events` are the rest of the history. */
const MOVE_WORDS: Array<[keyof MergePreview['moves'], string]> = [
  ['jobs', 'Jobs'],
  ['invoices', 'Invoices'],
  ['payments', 'Payments'],
  ['messages', 'Messages'],
  ['enrollments', 'Journey enrollments'],
  ['notes', 'Notes'],
  ['tags', 'New tags'],
  ['reminders', 'Reminders'],
  ['tasks', 'Tasks'],
  ['review_requests', 'Review requests'],
  ['feedback', 'Private feedback'],
  ['crm_links', 'CRM links'],
  ['addresses', 'Properties'],
  ['campaign_sends', 'Campaign sends'],
  ['timeline_events', 'Timeline entries'],
]

/** A merge's moved rows by table, as the history says them. */
const TABLE_WORDS: Record<string, string> = {
  events: 'Timeline entries',
  addresses: 'Properties',
  external_mappings: 'CRM links',
  private_feedback: 'Feedback',
  sync_log: 'Sync log entries',
  enrollments: 'Journey enrollments',
}

const Crumbs = ({ here }: { here: string }) => (
  <p class="crumbs">
    <a href="/app/clients">Clients</a> / {here}
  </p>
)

/** Pairs of cards that look like one person, each with why and a link to compare them. */
export function DuplicatesPage(props: { items: DuplicatePair[]; clients: Record<string, ClientBrief> }) {
  const name = (id: string) => {
    const c = props.clients[id]
    return c ? personName(c) : 'Unknown client'
  }
  return (
    <>
      <Crumbs here="Possible duplicates" />
      <div class="page-head">
        <div>
          <h1>Possible duplicates</h1>
          <p class="muted">
            Cards that share an email, a phone, or a name and an address. Compare them before merging.
          </p>
        </div>
        <div class="actions">
          <a class="button" href="/app/clients/merges">
            Merge history
          </a>
        </div>
      </div>
      {props.items.length === 0 ? (
        <p class="empty card">No possible duplicates.</p>
      ) : (
        <table class="table" data-testid="duplicates">
          <thead>
            <tr>
              <th>Client</th>
              <th>Possible duplicate</th>
              <th>Why</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {props.items.map(({ org_client_ids: [a = '', b = ''], reasons }) => (
              <tr data-pair={`${a} ${b}`}>
                <td data-label="Client">
                  <a href={`/app/clients/${a}`}>{name(a)}</a>
                </td>
                <td data-label="Possible duplicate">
                  <a href={`/app/clients/${b}`}>{name(b)}</a>
                </td>
                <td data-label="Why">
                  <span class="chips">
                    {reasons.map((r) => (
                      <span class="chip">{REASON_WORDS[r]}</span>
                    ))}
                  </span>
                </td>
                <td>
                  <a class="button" href={`/app/clients/${a}/merge?from=${b}`}>
                    Compare
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}

const list = (values: string[], show: (v: string) => string = (v) => v): Child =>
  values.length ? (
    values.map((v, i) => (
      <>
        {i ? <br /> : null}
        {show(v)}
      </>
    ))
  ) : (
    <span class="muted">none</span>
  )

const addressesOf = (...sides: MergeSide[]) =>
  list(
    sides
      .flatMap((s) => s.addresses)
      .map((a) => `${a.address1}${a.address2 ? `, ${a.address2}` : ''}, ${a.city}, ${a.state} ${a.postal}`),
  )

/** Both cards side by side, the card that stays, what moves, and the button that merges. */
export function MergePreviewPage(props: { preview: MergePreview }) {
  const { into, from, result, moves } = props.preview
  const rows: Array<[string, Child, Child, Child]> = [
    [
      'Name',
      personName(into),
      personName(from),
      personName({ first_name: result.first_name, last_name: result.last_name }),
    ],
    ['Emails', list(into.emails), list(from.emails), list(result.emails)],
    ['Phones', list(into.phones, phone), list(from.phones, phone), list(result.phones, phone)],
    ['Properties', addressesOf(into), addressesOf(from), addressesOf(into, from)],
    ['Status', words(into.status), words(from.status), words(into.status)],
    ['Tags', list(into.tags), list(from.tags), list(result.tags)],
    ['Lifetime value', money(into.ltv_cents), money(from.ltv_cents), money(result.ltv_cents)],
    ['Notes', String(into.notes), String(from.notes), String(into.notes + from.notes)],
  ]
  const moving = MOVE_WORDS.filter(([key]) => moves[key] > 0)
  return (
    <>
      <p class="crumbs">
        <a href="/app/clients">Clients</a> / <a href="/app/clients/duplicates">Possible duplicates</a> / Merge
      </p>
      <h1>
        Merge {personName(from)} into {personName(into)}
      </h1>
      <p class="muted">
        The first card stays; everything of the second moves to it and the second card goes away. You can undo this from
        the merge history.
      </p>
      <table class="table" data-testid="merge-preview">
        <thead>
          <tr>
            <th></th>
            <th>
              Stays: <a href={`/app/clients/${into.org_client_id}`}>{personName(into)}</a>
            </th>
            <th>
              Merged in: <a href={`/app/clients/${from.org_client_id}`}>{personName(from)}</a>
            </th>
            <th>After the merge</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, a, b, after]) => (
            <tr>
              <th scope="row">{label}</th>
              <td>{a}</td>
              <td>{b}</td>
              <td>{after}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <section class="card">
        <h2>What moves to {personName(into)}</h2>
        {moving.length === 0 ? (
          <p class="muted">Nothing but the card's details.</p>
        ) : (
          <dl class="facts" data-testid="merge-moves">
            {moving.map(([key, label]) => (
              <>
                <dt>{label}</dt>
                <dd>{moves[key]}</dd>
              </>
            ))}
          </dl>
        )}
        <form method="post" action={`/app/clients/${into.org_client_id}/merge`} class="form-actions">
          <CsrfField />
          <input type="hidden" name="from_org_client_id" value={from.org_client_id} />
          <button type="submit" class="primary">
            Merge into {personName(into)}
          </button>
          <a class="button" href={`/app/clients/${from.org_client_id}/merge?from=${into.org_client_id}`}>
            Keep {personName(from)} instead
          </a>
        </form>
      </section>
    </>
  )
}

/** One audit entry in words: who was merged into whom, or which merge was undone. */
function auditLine(a: AuditItem, m: MergeItem | undefined): Child {
  const verb = a.action === 'merge' ? 'Merged' : a.action === 'unmerge' ? 'Undid the merge of' : words(a.action)
  if (!m)
    return a.org_client_id ? (
      <>
        {verb} <a href={`/app/clients/${a.org_client_id}`}>a client</a>
      </>
    ) : (
      verb
    )
  return (
    <>
      {verb} {m.from_name || 'a client'} into{' '}
      <a href={`/app/clients/${m.into_org_client_id}`}>{m.into_name || 'a client'}</a>
    </>
  )
}

/** Merges newest first, each not yet undone with its Undo button, and the audit log under them. */
export function MergesPage(props: { merges: MergeItem[]; audit: AuditItem[]; notice?: string }) {
  const tz = useSession().organization.timezone
  const byId = new Map(props.merges.map((m) => [m.merge_id, m]))
  const moved = (m: MergeItem) =>
    Object.entries(m.moved)
      .filter(([, n]) => n > 0)
      .map(([table, n]) => `${TABLE_WORDS[table] ?? words(table)}: ${n}`)
      .join(', ')
  return (
    <>
      <Crumbs here="Merge history" />
      <div class="page-head">
        <h1>Merge history</h1>
        <div class="actions">
          <a class="button" href="/app/clients/duplicates">
            Possible duplicates
          </a>
        </div>
      </div>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      {props.merges.length === 0 ? (
        <p class="empty card">No merges yet.</p>
      ) : (
        <table class="table" data-testid="merges">
          <thead>
            <tr>
              <th>When</th>
              <th>Kept</th>
              <th>Merged in</th>
              <th>Moved</th>
              <th>By</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {props.merges.map((m) => (
              <tr data-merge={m.merge_id}>
                <td data-label="When">{stamp(m.created_at, tz)}</td>
                <td data-label="Kept">
                  <a href={`/app/clients/${m.into_org_client_id}`}>{m.into_name || 'Unnamed client'}</a>
                </td>
                <td data-label="Merged in">
                  {m.undone_at ? (
                    <a href={`/app/clients/${m.from_org_client_id}`}>{m.from_name || 'Unnamed client'}</a>
                  ) : (
                    m.from_name || 'Unnamed client'
                  )}
                </td>
                <td data-label="Moved" class="small">
                  {moved(m) || 'nothing'}
                </td>
                <td data-label="By">{m.actor ?? ''}</td>
                <td>
                  {m.undone_at ? (
                    <span class="muted small">
                      Undone {stamp(m.undone_at, tz)}
                      {m.undone_by ? ` by ${m.undone_by}` : ''}
                    </span>
                  ) : (
                    <form method="post" action={`/app/clients/merges/${m.merge_id}/undo`}>
                      <CsrfField />
                      <button type="submit">Undo</button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section class="card">
        <h2>Audit log</h2>
        {props.audit.length === 0 ? (
          <p class="muted">Nothing yet.</p>
        ) : (
          <ol class="timeline" data-testid="audit-log">
            {props.audit.map((a) => (
              <li>
                <time datetime={a.created_at}>{stamp(a.created_at, tz)}</time>
                <div>
                  {auditLine(a, byId.get(String(a.data['merge_id'])))}
                  {a.actor ? ` by ${a.actor}` : ''}
                </div>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  )
}
