/** The merge history: merges newest first with their Undo buttons, and the audit log under them. */
import type { AuditItem, MergeItem } from '../../durable-objects/org/merges/merges'
import type { Child } from 'hono/jsx'
import { stamp, words } from '../format'
import { CsrfField, useSession } from '../layout'
import { Crumbs } from './crumbs'

/** A merge's moved rows by table, as the history says them. */
const TABLE_WORDS: Record<string, string> = {
  events: 'Timeline entries',
  addresses: 'Properties',
  external_mappings: 'CRM links',
  private_feedback: 'Feedback',
  sync_log: 'Sync log entries',
  enrollments: 'Journey enrollments',
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
