/**
 * Services the business offers, in the owner's order (up/down), each with its usual length and
 * price: edit in place, archive (old jobs keep it) and restore, and a form to add one. A name
 * like one already there is asked about before it is saved.
 */
import type { Service } from '../durable-objects/org/crm/services'
import { FormAlert, type FormErrors, type FormValues } from './fields'
import { dollarsInput, duration, money } from './format'
import { CsrfField, Field } from './layout'

export type ServicesProps = {
  services: Service[]
  archived: Service[]
  values?: FormValues
  errors?: FormErrors
  notice?: string
  /** The service whose row is open for editing, with what was typed when saving it failed. */
  editing?: { id: string; values?: FormValues; errors?: FormErrors }
}

/** The services page. */
export function ServicesPage(props: ServicesProps) {
  return (
    <>
      <h1>Services</h1>
      <p class="muted">
        What you offer, in the order pickers show it. A job booked for a service takes its length and price unless you
        change them.
      </p>
      <ServicesSection {...props} />
    </>
  )
}

/** The lists and the form together: every change answers with this whole section. */
export function ServicesSection(props: ServicesProps) {
  const { services, archived, notice } = props
  return (
    <div id="services" class="grid-2">
      <section class="card">
        <h2>Your services</h2>
        {notice ? (
          <p class="notice" role="status">
            {notice}
          </p>
        ) : null}
        {services.length === 0 ? (
          <p class="muted">No services yet. Add your first one.</p>
        ) : (
          <ul class="rows" data-testid="services">
            {services.map((s, i) =>
              props.editing?.id === s.id ? (
                <EditRow service={s} values={props.editing.values} errors={props.editing.errors} />
              ) : (
                <ServiceRow service={s} first={i === 0} last={i === services.length - 1} />
              ),
            )}
          </ul>
        )}
        {archived.length > 0 ? <ArchivedList archived={archived} /> : null}
      </section>
      <AddForm values={props.values} errors={props.errors} />
    </div>
  )
}

/** A small form posting to one service's action; htmx swaps the section. */
function Action(props: { id: string; action: string; label: string; fields?: Record<string, string>; title?: string }) {
  const url = `/app/services/${props.id}/${props.action}`
  return (
    <form method="post" action={url} hx-post={url} hx-target="#services" hx-swap="outerHTML">
      <CsrfField />
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class="small" title={props.title} aria-label={props.title}>
        {props.label}
      </button>
    </form>
  )
}

function ServiceRow({ service: s, first, last }: { service: Service; first: boolean; last: boolean }) {
  const facts = [duration(s.duration_minutes), s.price_cents === null ? '' : money(s.price_cents)].filter(Boolean)
  return (
    <li class="row" id={`service-${s.id}`} data-service={s.name}>
      <div class="row-main">
        <strong>{s.name}</strong>
        <div class="muted small">{facts.length ? facts.join(' · ') : 'No usual length or price'}</div>
      </div>
      <div class="button-row">
        {first ? null : (
          <Action id={s.id} action="move" fields={{ direction: 'up' }} label="↑" title={`Move ${s.name} up`} />
        )}
        {last ? null : (
          <Action id={s.id} action="move" fields={{ direction: 'down' }} label="↓" title={`Move ${s.name} down`} />
        )}
        <a
          class="button small"
          href={`/app/services/${s.id}/edit`}
          hx-get={`/app/services/${s.id}/edit`}
          hx-target="#services"
          hx-swap="outerHTML"
        >
          Edit
        </a>
        <Action id={s.id} action="archive" label="Archive" title={`Archive ${s.name}`} />
      </div>
    </li>
  )
}

/** A row open for editing: name, length and price, saved together. */
function EditRow(props: { service: Service; values?: FormValues; errors?: FormErrors }) {
  const s = props.service
  const v = props.values ?? {
    name: s.name,
    duration_minutes: s.duration_minutes === null ? '' : String(s.duration_minutes),
    price: dollarsInput(s.price_cents),
  }
  const e = props.errors ?? {}
  return (
    <li class="row" id={`service-${s.id}`}>
      <form
        class="row-main"
        method="post"
        action={`/app/services/${s.id}`}
        hx-post={`/app/services/${s.id}`}
        hx-target="#services"
        hx-swap="outerHTML"
        novalidate
      >
        <CsrfField />
        <FormAlert errors={e} />
        <Field label="Name" name="name" id="edit-name" value={v['name']} error={e['name']} required />
        <div class="cols-2">
          <Field
            label="Length in minutes"
            name="duration_minutes"
            id="edit-duration"
            type="number"
            inputmode="numeric"
            min="5"
            max="1440"
            step="5"
            value={v['duration_minutes']}
            error={e['duration_minutes']}
          />
          <Field
            label="Price in dollars"
            name="price"
            id="edit-price"
            inputmode="decimal"
            value={v['price']}
            error={e['price']}
          />
        </div>
        <DuplicateCheck error={e['allow_duplicate']} id="edit-allow-duplicate" />
        <div class="form-actions">
          <button type="submit" class="primary">
            Save
          </button>
          <a class="button" href="/app/services" hx-get="/app/services" hx-target="#services" hx-swap="outerHTML">
            Cancel
          </a>
        </div>
      </form>
    </li>
  )
}

/** Archived services: off every picker, still on the jobs and invoices that name them. */
function ArchivedList({ archived }: { archived: Service[] }) {
  return (
    <details class="archived" data-testid="archived-services">
      <summary>Archived ({archived.length})</summary>
      <p class="muted small">Hidden from pickers; past jobs and invoices keep them.</p>
      <ul class="rows">
        {archived.map((s) => (
          <li class="row" id={`service-${s.id}`} data-service={s.name}>
            <div class="row-main">
              <span class="muted">{s.name}</span>
            </div>
            <Action id={s.id} action="restore" label="Restore" title={`Restore ${s.name}`} />
          </li>
        ))}
      </ul>
    </details>
  )
}

/** Asked when the name is one the business already has (ignoring case and spaces). */
function DuplicateCheck({ error, id }: { error?: string; id: string }) {
  if (!error) return null
  return (
    <div class="field has-error" data-testid="duplicate-warning">
      <p class="error" id={`${id}-error`}>
        {error}
      </p>
      <label>
        <input type="checkbox" id={id} name="allow_duplicate" value="1" aria-describedby={`${id}-error`} /> Save it
        anyway
      </label>
    </div>
  )
}

function AddForm({ values, errors }: { values?: FormValues; errors?: FormErrors }) {
  const v = values ?? {}
  const e = errors ?? {}
  return (
    <form
      class="card"
      method="post"
      action="/app/services"
      hx-post="/app/services"
      hx-target="#services"
      hx-swap="outerHTML"
      novalidate
    >
      <h2>Add a service</h2>
      <CsrfField />
      <FormAlert errors={e} />
      <Field
        label="Name"
        name="name"
        value={v['name']}
        error={e['name']}
        required
        placeholder="e.g. Deep clean"
        autocomplete="off"
      />
      <div class="cols-2">
        <Field
          label="Length in minutes"
          name="duration_minutes"
          type="number"
          inputmode="numeric"
          min="5"
          max="1440"
          step="5"
          value={v['duration_minutes']}
          error={e['duration_minutes']}
          placeholder="120"
        />
        <Field
          label="Price in dollars"
          name="price"
          inputmode="decimal"
          value={v['price']}
          error={e['price']}
          placeholder="180"
        />
      </div>
      <DuplicateCheck error={e['allow_duplicate']} id="f-allow-duplicate" />
      <button type="submit" class="primary">
        Add service
      </button>
    </form>
  )
}
