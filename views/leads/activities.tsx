/** Activities on a lead or a client: the list, newest first, and the form that logs a call, note, meeting, email or text. */
import type { Activity, ActivityType } from '../../durable-objects/org/sales/leads/activities'
import { FormAlert, type FormErrors, type FormValues, SelectField, TextareaField } from '../fields'
import { stamp, words } from '../format'
import { CsrfField } from '../layout'
import { CallFacts, type CallFormProps, LogCallForm } from './calls'
import type { Person } from '../schedule/people'

const DIRECTIONS = { inbound: 'From them', outbound: 'From us' } as const

/** What an activity's line says of it: "Call · From them", "Status changed". */
function kindOf(a: Activity, types: ActivityType[]): string {
  const type = types.find((t) => t.key === a.type)?.name ?? words(a.type)
  return a.direction ? `${type} · ${DIRECTIONS[a.direction]}` : type
}

/** The activities, newest first; the pipeline's own entries (a move, the conversion) read quieter. */
export function ActivityItems(p: { items: Activity[]; types: ActivityType[]; tz: string; team?: Person[] }) {
  if (p.items.length === 0) return <p class="muted">Nothing logged yet.</p>
  return (
    <ol class="rows activities" data-testid="activities">
      {p.items.map((a) => {
        const author = a.author_id ? p.team?.find((m) => m.id === a.author_id)?.name : undefined
        return (
          <li class={a.source === 'system' ? 'row activity is-system' : 'row activity'} data-type={a.type}>
            <div class="row-main">
              <strong>{kindOf(a, p.types)}</strong> <span class="activity-summary">{a.summary}</span>
              <div class="muted small">
                {stamp(a.occurred_at, p.tz)}
                {author ? ` · ${author}` : ''}
                <CallFacts a={a} />
              </div>
            </div>
          </li>
        )
      })}
    </ol>
  )
}

/**
 * The Activities card: the log form (type, direction, summary) posting to `action`, and the list.
 * htmx swaps the card; a form with errors comes back filled in. Without `action` the card is read-only.
 */
export function ActivitiesCard(p: {
  action?: string
  items: Activity[]
  types: ActivityType[]
  tz: string
  team?: Person[]
  values?: FormValues
  errors?: FormErrors
  notice?: string
  title?: string
  /** The Log a call form, where calls can be logged with their length and outcome. */
  call?: CallFormProps
}) {
  const v = p.values ?? {}
  const e = p.errors ?? {}
  return (
    <section class="card" id="activities" data-testid="activities-card">
      <h2>{p.title ?? 'Activities'}</h2>
      {p.notice ? (
        <p class="notice" role="status">
          {p.notice}
        </p>
      ) : null}
      {p.call ? <LogCallForm {...p.call} /> : null}
      {p.action ? (
        <form
          class="activity-form"
          method="post"
          action={p.action}
          hx-post={p.action}
          hx-target="#activities"
          hx-swap="outerHTML"
          novalidate
        >
          <CsrfField />
          <FormAlert errors={e} />
          <div class="cols-2">
            <SelectField
              label="Type"
              name="type"
              id="f-activity-type"
              value={v['type'] ?? 'call'}
              error={e['type']}
              options={p.types.map((t) => ({ value: t.key, label: t.name }))}
            />
            <SelectField
              label="Direction"
              name="direction"
              id="f-activity-direction"
              value={v['direction'] ?? ''}
              error={e['direction']}
              options={[
                { value: '', label: '—' },
                ...Object.entries(DIRECTIONS).map(([value, label]) => ({ value, label })),
              ]}
            />
          </div>
          <TextareaField
            label="What happened"
            name="summary"
            id="f-activity-summary"
            value={v['summary']}
            error={e['summary']}
            rows={2}
            placeholder="Called about the spring cleaning; wants a quote by Friday."
            required
          />
          <div class="form-actions">
            <button type="submit" class="primary">
              Log it
            </button>
          </div>
        </form>
      ) : null}
      <ActivityItems items={p.items} types={p.types} tz={p.tz} team={p.team} />
    </section>
  )
}
