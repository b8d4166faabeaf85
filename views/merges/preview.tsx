/** The merge preview: both cards side by side, the card that stays, what moves, and the button that merges. */
import type { MergePreview, MergeSide } from '../../durable-objects/org/merges/merges'
import type { Child } from 'hono/jsx'
import { money, personName, phone, words } from '../format'
import { CsrfField } from '../layout'

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
