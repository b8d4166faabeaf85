// Over 300 lines on purpose: the pipeline steps page is one table whose rows, edit forms, move buttons and refusals swap into each other.
/**
 * The pipeline's steps (lead statuses) in order, each with its colour, icon, name and kind: owners
 * and admins edit one in place, move it up or down, delete it and add new ones; everyone else
 * reads the list. Every change answers with the whole section.
 */
import type { LeadStatus } from '../../durable-objects/org/sales/leads/statuses'
import type { LeadStatusKind } from '../../durable-objects/org/schema'
import { FormAlert, type FormErrors, type FormValues, SelectField } from '../fields'
import { CsrfField, Field, useCanManage } from '../layout'

/** The icons a step may have: a word as the API stores it, and how the page shows it. */
export const STATUS_ICONS: Record<string, string> = {
  sparkles: '✨',
  phone: '📞',
  mail: '✉️',
  calendar: '📅',
  clock: '⏰',
  document: '📄',
  wrench: '🔧',
  money: '💵',
  handshake: '🤝',
  star: '⭐',
  flag: '🚩',
  pause: '⏸️',
  check: '✅',
  x: '❌',
}

/** The kinds in words: where a lead in this step stands. */
export const KIND_NAMES: Record<LeadStatusKind, string> = {
  open: 'Open: still working on it',
  won: 'Won',
  lost: 'Lost',
}

export type StatusesProps = {
  statuses: LeadStatus[]
  /** How many leads sit in each step (converted ones left off), by status id. */
  counts: Record<string, number>
  notice?: string | undefined
  /** A refused change, in the API's words. */
  error?: string | undefined
  /** The add form as typed, with its errors. */
  values?: FormValues | undefined
  errors?: FormErrors | undefined
  /** The step open for editing, with what was typed when saving it failed. */
  editing?: { id: string; values?: FormValues | undefined; errors?: FormErrors | undefined } | undefined
}

const BASE = '/app/leads/statuses'

/** The icon as shown: its emoji, or the word itself for one the page does not know (set through the API). */
export function StatusIcon({ icon }: { icon: string | null }) {
  if (!icon) return null
  const emoji = STATUS_ICONS[icon]
  return (
    <span class="status-icon" title={icon} data-icon={icon}>
      {emoji ? (
        <>
          <span aria-hidden="true">{emoji}</span>
          <span class="visually-hidden">{icon}</span>
        </>
      ) : (
        <span class="muted small">{icon}</span>
      )}
    </span>
  )
}

/** The page: what the steps are for, and the section. */
export function StatusesPage(props: StatusesProps) {
  return (
    <>
      <p class="crumbs">
        <a href="/app/leads">Leads</a> / Pipeline steps
      </p>
      <h1>Pipeline steps</h1>
      <p class="muted">
        The columns of your leads board, in this order. A lead in an open step is still being worked; won and lost steps
        close it. Your pipeline always keeps at least one step of each kind.
      </p>
      <StatusesSection {...props} />
    </>
  )
}

/** The list and the add form together: every change swaps this whole section. */
export function StatusesSection(props: StatusesProps) {
  const canEdit = useCanManage()
  const { statuses, counts } = props
  return (
    <div id="lead-statuses" class="grid-2">
      <section class="card">
        <h2>Your steps</h2>
        {props.notice ? (
          <p class="notice" role="status">
            {props.notice}
          </p>
        ) : null}
        {props.error ? (
          <p class="alert" role="alert" data-testid="statuses-error">
            {props.error}
          </p>
        ) : null}
        <ol class="rows" data-testid="statuses">
          {statuses.map((s, i) =>
            canEdit && props.editing?.id === s.id ? (
              <EditRow status={s} values={props.editing.values} errors={props.editing.errors} />
            ) : (
              <StatusRow
                status={s}
                index={i}
                last={i === statuses.length - 1}
                count={counts[s.id] ?? 0}
                canEdit={canEdit}
              />
            ),
          )}
        </ol>
        {canEdit ? null : <p class="muted small">Only owners and admins change the pipeline.</p>}
      </section>
      {canEdit ? <AddForm statuses={statuses} values={props.values} errors={props.errors} /> : null}
    </div>
  )
}

/** A small form posting to one step's action; htmx swaps the section. */
function Action(props: {
  id: string
  action: string
  label: string
  title: string
  fields?: Record<string, string>
  confirm?: string
  danger?: boolean
}) {
  const url = `${BASE}/${props.id}/${props.action}`
  return (
    <form
      method="post"
      action={url}
      hx-post={url}
      hx-target="#lead-statuses"
      hx-swap="outerHTML"
      hx-confirm={props.confirm}
    >
      <CsrfField />
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button
        type="submit"
        class={props.danger ? 'small danger' : 'small'}
        title={props.title}
        aria-label={props.title}
      >
        {props.label}
      </button>
    </form>
  )
}

function StatusRow(p: { status: LeadStatus; index: number; last: boolean; count: number; canEdit: boolean }) {
  const s = p.status
  return (
    <li class="row" id={`status-${s.id}`} data-status={s.id} data-kind={s.kind}>
      <div class="row-main">
        <strong>
          <span class="status-dot" style={`background:${s.color}`} data-color={s.color} aria-hidden="true"></span>
          <StatusIcon icon={s.icon} /> <span data-testid="status-name">{s.name}</span>
        </strong>
        <div class="muted small">
          {KIND_NAMES[s.kind]} · {p.count} {p.count === 1 ? 'lead' : 'leads'}
        </div>
      </div>
      {p.canEdit ? (
        <div class="button-row">
          {p.index === 0 ? null : (
            <Action
              id={s.id}
              action="move"
              fields={{ to: String(p.index - 1) }}
              label="↑"
              title={`Move ${s.name} up`}
            />
          )}
          {p.last ? null : (
            <Action
              id={s.id}
              action="move"
              fields={{ to: String(p.index + 1) }}
              label="↓"
              title={`Move ${s.name} down`}
            />
          )}
          <a
            class="button small"
            href={`${BASE}/${s.id}/edit`}
            hx-get={`${BASE}/${s.id}/edit`}
            hx-target="#lead-statuses"
            hx-swap="outerHTML"
          >
            Edit
          </a>
          <Action
            id={s.id}
            action="delete"
            label="Delete"
            title={`Delete ${s.name}`}
            confirm={`Delete the step “${s.name}”?`}
            danger
          />
        </div>
      ) : null}
    </li>
  )
}

/** The icon picker: none, the fixed set, and a word set through the API kept as it is. */
function iconOptions(current: string | undefined) {
  const options = [
    { value: '', label: 'No icon' },
    ...Object.entries(STATUS_ICONS).map(([word, emoji]) => ({ value: word, label: `${emoji} ${word}` })),
  ]
  return current && !STATUS_ICONS[current] ? [...options, { value: current, label: current }] : options
}

const KIND_OPTIONS = Object.entries(KIND_NAMES).map(([value, label]) => ({ value, label }))

/** Name, colour, icon and kind: the fields of the add form and of a row being edited. */
function StatusFields({ v, e, prefix }: { v: FormValues; e: FormErrors; prefix: string }) {
  return (
    <>
      <Field
        label="Name"
        name="name"
        id={`${prefix}name`}
        value={v['name']}
        error={e['name']}
        required
        maxlength={60}
        autocomplete="off"
      />
      <div class="cols-2">
        <Field label="Colour" name="color" id={`${prefix}color`} type="color" value={v['color']} error={e['color']} />
        <SelectField
          label="Icon"
          name="icon"
          id={`${prefix}icon`}
          options={iconOptions(v['icon'])}
          value={v['icon']}
          error={e['icon']}
        />
      </div>
      <SelectField
        label="Kind"
        name="kind"
        id={`${prefix}kind`}
        options={KIND_OPTIONS}
        value={v['kind']}
        error={e['kind']}
      />
    </>
  )
}

/** A step open for editing: saved together, or left with Cancel. */
function EditRow(props: { status: LeadStatus; values?: FormValues | undefined; errors?: FormErrors | undefined }) {
  const s = props.status
  const v = props.values ?? { name: s.name, color: s.color, icon: s.icon ?? '', kind: s.kind }
  const e = props.errors ?? {}
  const url = `${BASE}/${s.id}`
  return (
    <li class="row" id={`status-${s.id}`} data-status={s.id}>
      <form
        class="row-main"
        style="flex:1"
        method="post"
        action={url}
        hx-post={url}
        hx-target="#lead-statuses"
        hx-swap="outerHTML"
        novalidate
      >
        <CsrfField />
        <FormAlert errors={e} />
        <StatusFields v={v} e={e} prefix="edit-" />
        <div class="form-actions">
          <button type="submit" class="primary">
            Save
          </button>
          <a class="button" href={BASE} hx-get={BASE} hx-target="#lead-statuses" hx-swap="outerHTML">
            Cancel
          </a>
        </div>
      </form>
    </li>
  )
}

/** Where a new step goes by default: after the last open one, so it comes before won and lost. */
export function defaultPosition(statuses: LeadStatus[]): number {
  const lastOpen = statuses.map((s) => s.kind).lastIndexOf('open')
  return lastOpen + 1
}

function AddForm(props: { statuses: LeadStatus[]; values?: FormValues | undefined; errors?: FormErrors | undefined }) {
  const v = props.values ?? { color: '#0f766e', kind: 'open', position: String(defaultPosition(props.statuses)) }
  const e = props.errors ?? {}
  const places = [
    { value: '0', label: 'First' },
    ...props.statuses.map((s, i) => ({ value: String(i + 1), label: `After ${s.name}` })),
  ]
  return (
    <form
      class="card"
      method="post"
      action={BASE}
      hx-post={BASE}
      hx-target="#lead-statuses"
      hx-swap="outerHTML"
      novalidate
    >
      <h2>Add a step</h2>
      <CsrfField />
      <FormAlert errors={e} />
      <StatusFields v={v} e={e} prefix="f-" />
      <SelectField label="Place" name="position" options={places} value={v['position']} error={e['position']} />
      <button type="submit" class="primary">
        Add step
      </button>
    </form>
  )
}
