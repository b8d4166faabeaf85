/** One client: this business's card (contact and addresses), private details and notes, jobs, invoices, timeline. */
import type { ClientAddress } from '../../durable-objects/org/cards/addresses'
import type { ClientDetail } from '../../durable-objects/org/crm/clients'
import type { Invoice } from '../../durable-objects/org/crm/invoices'
import type { TimelineItem } from '../../durable-objects/org/crm/reports'
import type { Provenance } from '../../durable-objects/org/schema'
import type { Card } from '../../durable-objects/org/cards/cards'
import type { Consent } from '../../src/people/consent'
import { FormAlert, SelectField, TextareaField, type FormErrors, type FormValues } from '../fields'
import { dateTime, longDate, money, personName, phone, stamp, statusOptions, words } from '../format'
import type { JobItem } from '../jobs'
import { CsrfField, Field, useSession } from '../layout'
import { ConsentCard } from './consent'
import { AskForReview } from '../reviews/ask'
import { origin, Timeline } from './timeline'

/** A form shown again with what was typed and an error beside each field. */
export type FormState = { values: FormValues; errors: FormErrors }
/** An address form open in place: `id` 'new' is the add form. */
export type AddressEditing = FormState & { id: string }

export type ClientPageProps = {
  client: ClientDetail
  contact: Card | null
  /** The client's addresses with who wrote each. */
  addresses: ClientAddress[]
  consent: Consent | null
  jobs: JobItem[]
  invoices: Invoice[]
  timeline: TimelineItem[]
  /** A failed edit of the private details, shown in place. */
  details?: { values: FormValues; errors: FormErrors }
  /** Said once above the page, e.g. after adding someone who was already a client. */
  notice?: string
  /** A failed note, shown in place. */
  note?: { value?: string; error?: string }
  /** The person verified a homeowner account in the portal. */
  homeowner?: boolean
  /** The contact card open for editing (without JavaScript, or after a failed save). */
  contactEdit?: FormState
  /** An address form open in place. */
  addressEdit?: AddressEditing
}

/** Everything about one client, for this business. */
export function ClientPage(p: ClientPageProps) {
  const { client } = p
  const tz = useSession().organization.timezone
  return (
    <>
      <p class="crumbs">
        <a href="/app/clients">Clients</a> / {personName(client)}
      </p>
      <div class="page-head">
        <div>
          <h1 id="client-name" data-testid="client-name">
            <ClientName client={client} homeowner={p.homeowner} />
          </h1>
          <p class="muted small">
            Client since {longDate(client.created_at.slice(0, 10))} · lifetime value{' '}
            <strong data-testid="client-ltv">{money(client.ltv_cents)}</strong>
          </p>
        </div>
        <div class="actions">
          <a class="button primary" href={`/app/jobs/new?client=${client.org_client_id}`}>
            Book a job
          </a>
          <a class="button" href={`/app/invoices/new?client=${client.org_client_id}`}>
            New invoice
          </a>
          <a class="button" href="/app/clients/duplicates" title="Find another card of the same person and merge it">
            Merge duplicates
          </a>
        </div>
      </div>
      {p.notice ? (
        <p class="notice" role="status">
          {p.notice}
        </p>
      ) : null}
      <div class="grid-2">
        {p.contactEdit ? (
          <ContactForm client={client} {...p.contactEdit} />
        ) : (
          <ContactCard client={client} contact={p.contact} />
        )}
        <PrivateDetails client={client} {...p.details} />
      </div>
      <div class="grid-2">
        <Properties clientId={client.org_client_id} addresses={p.addresses} editing={p.addressEdit} />
        <Notes client={client} {...p.note} />
        {p.consent ? <ConsentCard clientId={client.org_client_id} consent={p.consent} /> : null}
        <AskForReview clientId={client.org_client_id} />
      </div>
      <div class="grid-2">
        <section class="card" id="client-jobs">
          <h2>Jobs</h2>
          {p.jobs.length === 0 ? (
            <p class="muted">No jobs yet.</p>
          ) : (
            <ul class="rows">
              {p.jobs.map(({ job, serviceName }) => (
                <li class="row">
                  <div class="row-main">
                    <a href={`/app/jobs/${job.id}`}>{dateTime(job.start_at, tz)}</a>
                    <div class="muted small">
                      {serviceName ?? 'Job'} · {money(job.price_cents)}
                    </div>
                  </div>
                  <span class={`badge badge-${job.status}`}>{words(job.status)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section class="card" id="client-invoices">
          <h2>Invoices</h2>
          {p.invoices.length === 0 ? (
            <p class="muted">No invoices yet.</p>
          ) : (
            <ul class="rows">
              {p.invoices.map((i) => (
                <li class="row">
                  <div class="row-main">
                    <a href={`/app/invoices/${i.id}`}>#{i.number}</a> · {money(i.total_cents)}
                    <div class="muted small">Due {longDate(i.due_date)}</div>
                  </div>
                  <span class={`badge badge-${i.overdue ? 'overdue' : i.status}`}>
                    {i.overdue ? 'overdue' : i.status}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <Timeline items={p.timeline} tz={tz} revert={{ clientId: client.org_client_id, card: p.contact }} />
    </>
  )
}

/** The client's name in the page heading, with the badge of a verified homeowner account. */
export function ClientName({ client, homeowner }: { client: ClientDetail; homeowner?: boolean }) {
  return (
    <>
      {personName(client)}
      {homeowner ? (
        <>
          {' '}
          <span
            class="badge"
            data-testid="homeowner-badge"
            title="Signed in to the homeowner portal with a one-time code"
          >
            homeowner account
          </span>
        </>
      ) : null}
    </>
  )
}

const days = new Map<string, Intl.DateTimeFormat>()

/** "Dec 3": the day something was written, in the business's zone. */
function day(at: string, tz: string): string {
  let f = days.get(tz)
  if (!f) days.set(tz, (f = new Intl.DateTimeFormat('en-US', { timeZone: tz, month: 'short', day: 'numeric' })))
  return f.format(new Date(at))
}

/** The small print beside a card value: "added by staff@example.com · Dec 3", "from Jobber · Dec 3". */
function Origin({ p, tz }: { p: Provenance | undefined; tz: string }) {
  if (!p) return null
  const where = origin(p.source, p.by)
  return (
    <div class="muted small" data-testid="origin">
      {where ? `${where} · ` : ''}
      {day(p.at, tz)}
    </div>
  )
}

const newest = (a: Provenance | undefined, b: Provenance | undefined) => (a && b ? (a.at >= b.at ? a : b) : (a ?? b))

/** The client card as this business knows it: name, emails and phones (primary first), each with where it came from. */
export function ContactCard({
  client,
  contact,
  notice,
}: {
  client: ClientDetail
  contact: Card | null
  notice?: string
}) {
  const tz = useSession().organization.timezone
  const card = contact ?? {
    first_name: client.first_name,
    last_name: client.last_name,
    emails: client.primary_email ? [client.primary_email] : [],
    phones: client.primary_phone_e164 ? [client.primary_phone_e164] : [],
    provenance: {} as Record<string, Provenance>,
  }
  const name = [card.first_name, card.last_name].filter(Boolean).join(' ')
  const edit = `/app/clients/${client.org_client_id}/contact/edit`
  return (
    <section class="card" id="client-contact" data-testid="contact">
      <div class="page-head">
        <h2>
          Contact <span class="muted small">only your business</span>
        </h2>
        <a
          class="button"
          href={edit}
          hx-get={edit}
          hx-target="#client-contact"
          hx-swap="outerHTML"
          data-testid="edit-contact"
        >
          Edit
        </a>
      </div>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <dl class="facts">
        <dt>Name</dt>
        <dd data-testid="contact-name">
          {name || <span class="muted">none</span>}
          <Origin p={newest(card.provenance['first_name'], card.provenance['last_name'])} tz={tz} />
        </dd>
        <dt>Email</dt>
        <dd data-testid="contact-emails">
          {card.emails.length === 0 ? (
            <span class="muted">none</span>
          ) : (
            card.emails.map((e, i) => (
              <div>
                <a href={`mailto:${e}`}>{e}</a>
                {i === 0 && card.emails.length > 1 ? <span class="muted small"> primary</span> : null}
                <Origin p={card.provenance[`email:${e}`]} tz={tz} />
              </div>
            ))
          )}
        </dd>
        <dt>Phone</dt>
        <dd data-testid="contact-phones">
          {card.phones.length === 0 ? (
            <span class="muted">none</span>
          ) : (
            card.phones.map((ph, i) => (
              <div>
                <a href={`tel:${ph}`}>{phone(ph)}</a>
                {i === 0 && card.phones.length > 1 ? <span class="muted small"> primary</span> : null}
                <Origin p={card.provenance[`phone:${ph}`]} tz={tz} />
              </div>
            ))
          )}
        </dd>
      </dl>
      <p class="hint">Changes here reach only your business's card; other businesses keep what they were told.</p>
    </section>
  )
}

/** The contact card as a form: a new email or phone becomes primary and the old one stays as secondary. */
export function ContactForm({ client, values, errors }: { client: ClientDetail } & FormState) {
  const id = client.org_client_id
  const action = `/app/clients/${id}/contact`
  return (
    <section class="card" id="client-contact" data-testid="contact">
      <h2>Edit contact</h2>
      <form method="post" action={action} hx-post={action} hx-target="#client-contact" hx-swap="outerHTML">
        <CsrfField />
        <FormAlert errors={errors} />
        <div class="cols-2">
          <Field
            label="First name"
            name="first_name"
            id="contact-first_name"
            value={values['first_name']}
            error={errors['first_name']}
            autocomplete="off"
          />
          <Field
            label="Last name"
            name="last_name"
            id="contact-last_name"
            value={values['last_name']}
            error={errors['last_name']}
            autocomplete="off"
          />
          <Field
            label="Email"
            name="email"
            id="contact-email"
            type="email"
            inputmode="email"
            value={values['email']}
            error={errors['email']}
            autocomplete="off"
          />
          <Field
            label="Phone"
            name="phone"
            id="contact-phone"
            type="tel"
            inputmode="tel"
            value={values['phone']}
            error={errors['phone']}
            autocomplete="off"
          />
        </div>
        <p class="hint">A new email or phone becomes the main one; the old one stays on the card.</p>
        <div class="form-actions">
          <button type="submit" class="primary">
            Save contact
          </button>
          <a
            class="button"
            href={`/app/clients/${id}`}
            hx-get={`/app/clients/${id}/contact`}
            hx-target="#client-contact"
            hx-swap="outerHTML"
          >
            Cancel
          </a>
        </div>
      </form>
    </section>
  )
}

/** One address on one line. */
const line = (a: ClientAddress) => [a.address1, a.address2, a.city, `${a.state} ${a.postal}`].filter(Boolean).join(', ')

/** The client's service addresses, each edited, made default or removed in place, and a form to add one. */
export function Properties({
  clientId,
  addresses,
  editing,
  notice,
  error,
}: {
  clientId: string
  addresses: ClientAddress[]
  editing?: AddressEditing
  notice?: string
  error?: string
}) {
  const tz = useSession().organization.timezone
  const base = `/app/clients/${clientId}/addresses`
  const swap = { 'hx-target': '#client-properties', 'hx-swap': 'outerHTML' }
  return (
    <section class="card" id="client-properties" data-testid="properties">
      <h2>Properties</h2>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {error ? (
        <p class="alert" role="alert">
          {error}
        </p>
      ) : null}
      {addresses.length === 0 ? (
        <p class="muted">No service address yet.</p>
      ) : (
        <ul class="rows">
          {addresses.map((a) =>
            editing?.id === a.id ? (
              <li class="row">
                <div class="row-main">
                  <AddressForm clientId={clientId} id={a.id} values={editing.values} errors={editing.errors} />
                </div>
              </li>
            ) : (
              <li class="row" data-testid="address">
                <div class="row-main">
                  <strong>{a.label ?? 'Property'}</strong>
                  {a.is_default ? <span class="badge">default</span> : null}
                  <div>{line(a)}</div>
                  <Origin
                    p={
                      a.changed_by || a.source !== 'staff'
                        ? { source: a.source, by: a.changed_by, at: a.updated_at ?? a.created_at }
                        : undefined
                    }
                    tz={tz}
                  />
                  <div class="button-row">
                    <a class="button" href={`${base}/${a.id}/edit`} hx-get={`${base}/${a.id}/edit`} {...swap}>
                      Edit
                    </a>
                    {a.is_default ? null : (
                      <form
                        method="post"
                        action={`${base}/${a.id}/default`}
                        hx-post={`${base}/${a.id}/default`}
                        {...swap}
                      >
                        <CsrfField />
                        <button type="submit">Make default</button>
                      </form>
                    )}
                    <form
                      method="post"
                      action={`${base}/${a.id}/remove`}
                      hx-post={`${base}/${a.id}/remove`}
                      {...swap}
                      hx-confirm="Remove this address?"
                    >
                      <CsrfField />
                      <button type="submit" class="danger">
                        Remove
                      </button>
                    </form>
                  </div>
                </div>
              </li>
            ),
          )}
        </ul>
      )}
      <details class="edit" open={editing?.id === 'new'}>
        <summary>Add an address</summary>
        <AddressForm
          clientId={clientId}
          values={editing?.id === 'new' ? editing.values : {}}
          errors={editing?.id === 'new' ? editing.errors : {}}
        />
      </details>
    </section>
  )
}

/** An address form: adding when no `id`, else changing that address. */
function AddressForm({ clientId, id, values, errors }: { clientId: string; id?: string } & FormState) {
  const base = `/app/clients/${clientId}/addresses`
  const action = id ? `${base}/${id}` : base
  const f = (name: string) => `addr-${id ?? 'new'}-${name}`
  return (
    <form method="post" action={action} hx-post={action} hx-target="#client-properties" hx-swap="outerHTML">
      <CsrfField />
      <Field
        label="Label"
        name="label"
        id={f('label')}
        value={values['label']}
        error={errors['label']}
        placeholder="Home, Rental…"
        autocomplete="off"
      />
      <div class="cols-address">
        <Field
          label="Street address"
          name="address1"
          id={f('address1')}
          value={values['address1']}
          error={errors['address1']}
          autocomplete="off"
        />
        <Field
          label="Apt, suite"
          name="address2"
          id={f('address2')}
          value={values['address2']}
          error={errors['address2']}
          autocomplete="off"
        />
        <Field
          label="City"
          name="city"
          id={f('city')}
          value={values['city']}
          error={errors['city']}
          autocomplete="off"
        />
        <Field
          label="State"
          name="state"
          id={f('state')}
          value={values['state']}
          error={errors['state']}
          autocomplete="off"
        />
        <Field
          label="ZIP"
          name="postal"
          id={f('postal')}
          value={values['postal']}
          error={errors['postal']}
          autocomplete="off"
        />
      </div>
      <div class="form-actions">
        <button type="submit" class="primary">
          {id ? 'Save address' : 'Add address'}
        </button>
        {id ? (
          <a
            class="button"
            href={`/app/clients/${clientId}`}
            hx-get={base}
            hx-target="#client-properties"
            hx-swap="outerHTML"
          >
            Cancel
          </a>
        ) : null}
      </div>
    </form>
  )
}

/** Status, tags and settings, seen only by this business; edited in place. */
export function PrivateDetails({
  client,
  notice,
  values,
  errors,
}: {
  client: ClientDetail
  notice?: string
  values?: FormValues
  errors?: FormErrors
}) {
  const e = errors ?? {}
  const v = values ?? {
    status: client.status,
    tags: client.tags.join(', '),
    pricing_tier: client.settings.pricing_tier ?? '',
    tax_rate: client.settings.tax_rate === null ? '' : String(Math.round(client.settings.tax_rate * 10_000) / 100),
  }
  const custom = Object.entries(client.settings.custom_fields)
  const failed = Object.keys(e).length > 0
  return (
    <section class="card" id="client-private">
      <h2>
        Private details <span class="muted small">only your business</span>
      </h2>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <dl class="facts">
        <dt>Status</dt>
        <dd>
          <span class={`badge badge-${client.status}`} data-testid="client-status">
            {client.status}
          </span>
        </dd>
        <dt>Tags</dt>
        <dd data-testid="client-tags">
          {client.tags.length ? (
            client.tags.map((t) => (
              <a class="chip" href={`/app/clients?tag=${encodeURIComponent(t)}`}>
                {t}
              </a>
            ))
          ) : (
            <span class="muted">none</span>
          )}
        </dd>
        <dt>Pricing tier</dt>
        <dd>{client.settings.pricing_tier ?? <span class="muted">standard</span>}</dd>
        <dt>Tax rate</dt>
        <dd>
          {client.settings.tax_rate === null ? (
            <span class="muted">default</span>
          ) : (
            `${Math.round(client.settings.tax_rate * 10_000) / 100}%`
          )}
        </dd>
        {custom.map(([k, val]) => (
          <>
            <dt>{k}</dt>
            <dd>{String(val ?? '')}</dd>
          </>
        ))}
      </dl>
      <details class="edit" open={failed}>
        <summary>Edit details</summary>
        <form
          method="post"
          action={`/app/clients/${client.org_client_id}/details`}
          hx-post={`/app/clients/${client.org_client_id}/details`}
          hx-target="#client-private"
          hx-swap="outerHTML"
        >
          <CsrfField />
          <div class="cols-2">
            <SelectField
              label="Status"
              name="status"
              id="edit-status"
              value={v['status']}
              error={e['status']}
              options={statusOptions('one')}
            />
            <Field
              label="Tags (comma-separated)"
              name="tags"
              id="edit-tags"
              value={v['tags']}
              error={e['tags']}
              autocomplete="off"
            />
            <Field
              label="Pricing tier"
              name="pricing_tier"
              id="edit-tier"
              value={v['pricing_tier']}
              error={e['pricing_tier']}
              placeholder="standard"
              autocomplete="off"
            />
            <Field
              label="Tax rate (%)"
              name="tax_rate"
              id="edit-tax"
              value={v['tax_rate']}
              error={e['tax_rate']}
              inputmode="decimal"
              placeholder="e.g. 8.25"
              autocomplete="off"
            />
          </div>
          <button type="submit" class="primary">
            Save details
          </button>
        </form>
      </details>
    </section>
  )
}

/** Private notes, newest first, with a box to add one. */
export function Notes({ client, error, value }: { client: ClientDetail; error?: string; value?: string }) {
  const tz = useSession().organization.timezone
  return (
    <section class="card" id="client-notes">
      <h2>
        Notes <span class="muted small">only your business</span>
      </h2>
      <form
        method="post"
        action={`/app/clients/${client.org_client_id}/notes`}
        hx-post={`/app/clients/${client.org_client_id}/notes`}
        hx-target="#client-notes"
        hx-swap="outerHTML"
      >
        <CsrfField />
        <TextareaField
          label="Add a note"
          name="note"
          id="new-note"
          value={value}
          error={error}
          rows={2}
          placeholder="Gate code, pets, what they asked for…"
        />
        <button type="submit">Add note</button>
      </form>
      {client.notes.length === 0 ? null : (
        <ul class="notes" data-testid="notes">
          {[...client.notes].reverse().map((n) => (
            <li>
              <p class="pre">{n.text}</p>
              <p class="muted small">
                {stamp(n.at, tz)}
                {n.author ? ` · ${n.author}` : ''}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
