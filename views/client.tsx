/** One client: shared contact details, this business's private details and notes, properties, jobs, invoices, timeline. */
import type { ClientDetail } from '../durable-objects/org/clients'
import type { Invoice } from '../durable-objects/org/invoices'
import type { TimelineItem } from '../durable-objects/org/reports'
import type { StaffSession } from '../src/auth/sessions'
import type { Card } from '../durable-objects/org/cards'
import type { Consent } from '../src/people/consent'
import { SelectField, TextareaField, type FormErrors, type FormValues } from './fields'
import { dateTime, longDate, money, personName, phone, stamp, words } from './format'
import type { JobItem } from './jobs'
import { Csrf, Field, Layout } from './layout'
import { ConsentCard } from './consent'
import { AskForReview } from './reviews/ask'
import { Timeline } from './timeline'

export type ClientPageProps = {
  session: StaffSession
  client: ClientDetail
  contact: Card | null
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
}

/** Everything about one client, for this business. */
export function ClientPage(p: ClientPageProps) {
  const { client, session } = p
  const tz = session.organization.timezone
  return (
    <Layout title={personName(client)} session={session} active="clients">
      <p class="crumbs"><a href="/app/clients">Clients</a> / {personName(client)}</p>
      <div class="page-head">
        <div>
          <h1 data-testid="client-name">{personName(client)}{p.homeowner ? <> <span class="badge" data-testid="homeowner-badge" title="Signed in to the homeowner portal with a one-time code">homeowner account</span></> : null}</h1>
          <p class="muted small">Client since {longDate(client.created_at.slice(0, 10))} · lifetime value <strong data-testid="client-ltv">{money(client.ltv_cents)}</strong></p>
        </div>
        <div class="actions">
          <a class="button primary" href={`/app/jobs/new?client=${client.org_client_id}`}>Book a job</a>
          <a class="button" href={`/app/invoices/new?client=${client.org_client_id}`}>New invoice</a>
        </div>
      </div>
      {p.notice ? <p class="notice" role="status">{p.notice}</p> : null}
      <div class="grid-2">
        <ContactCard client={client} contact={p.contact} />
        <PrivateDetails session={session} client={client} {...p.details} />
      </div>
      <div class="grid-2">
        <section class="card">
          <h2>Properties</h2>
          {client.addresses.length === 0 ? <p class="muted">No service address yet.</p> : (
            <ul class="rows">
              {client.addresses.map((a) => (
                <li class="row"><div class="row-main">
                  <strong>{a.label ?? 'Property'}</strong>{a.id === client.default_address_id ? <span class="badge">default</span> : null}
                  <div>{a.address1}{a.address2 ? `, ${a.address2}` : ''}, {a.city}, {a.state} {a.postal}</div>
                </div></li>
              ))}
            </ul>
          )}
        </section>
        <Notes session={session} client={client} {...p.note} />
        {p.consent ? <ConsentCard session={session} clientId={client.org_client_id} consent={p.consent} /> : null}
        <AskForReview session={session} clientId={client.org_client_id} />
      </div>
      <div class="grid-2">
        <section class="card" id="client-jobs">
          <h2>Jobs</h2>
          {p.jobs.length === 0 ? <p class="muted">No jobs yet.</p> : (
            <ul class="rows">
              {p.jobs.map(({ job, serviceName }) => (
                <li class="row">
                  <div class="row-main"><a href={`/app/jobs/${job.id}`}>{dateTime(job.start_at, tz)}</a><div class="muted small">{serviceName ?? 'Job'} · {money(job.price_cents)}</div></div>
                  <span class={`badge badge-${job.status}`}>{words(job.status)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section class="card" id="client-invoices">
          <h2>Invoices</h2>
          {p.invoices.length === 0 ? <p class="muted">No invoices yet.</p> : (
            <ul class="rows">
              {p.invoices.map((i) => (
                <li class="row">
                  <div class="row-main"><a href={`/app/invoices/${i.id}`}>#{i.number}</a> · {money(i.total_cents)}<div class="muted small">Due {longDate(i.due_date)}</div></div>
                  <span class={`badge badge-${i.overdue ? 'overdue' : i.status}`}>{i.overdue ? 'overdue' : i.status}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <Timeline items={p.timeline} tz={tz} />
    </Layout>
  )
}

/** Contact details come from the shared registry: the same person, whichever business they work with. */
function ContactCard({ client, contact }: { client: ClientDetail; contact: Card | null }) {
  const emails = contact?.emails ?? (client.primary_email ? [client.primary_email] : [])
  const phones = contact?.phones ?? (client.primary_phone_e164 ? [client.primary_phone_e164] : [])
  const primaryEmail = contact?.primary_email ?? client.primary_email
  const primaryPhone = contact?.primary_phone_e164 ?? client.primary_phone_e164
  return (
    <section class="card" data-testid="contact">
      <h2>Contact <span class="muted small">shared</span></h2>
      <dl class="facts">
        <dt>Email</dt>
        <dd>{emails.length === 0 ? <span class="muted">none</span> : emails.map((e) => (
          <div><a href={`mailto:${e}`}>{e}</a>{e === primaryEmail && emails.length > 1 ? <span class="muted small"> primary</span> : null}</div>
        ))}</dd>
        <dt>Phone</dt>
        <dd>{phones.length === 0 ? <span class="muted">none</span> : phones.map((ph) => (
          <div><a href={`tel:${ph}`}>{phone(ph)}</a>{ph === primaryPhone && phones.length > 1 ? <span class="muted small"> primary</span> : null}</div>
        ))}</dd>
      </dl>
      <p class="hint">Kept in the shared registry and updated for every business this person works with.</p>
    </section>
  )
}

/** Status, tags and settings, seen only by this business; edited in place. */
export function PrivateDetails({ session, client, notice, values, errors }: { session: StaffSession; client: ClientDetail; notice?: string; values?: FormValues; errors?: FormErrors }) {
  const e = errors ?? {}
  const v = values ?? {
    status: client.status, tags: client.tags.join(', '), pricing_tier: client.settings.pricing_tier ?? '',
    tax_rate: client.settings.tax_rate === null ? '' : String(Math.round(client.settings.tax_rate * 10_000) / 100),
  }
  const custom = Object.entries(client.settings.custom_fields)
  const failed = Object.keys(e).length > 0
  return (
    <section class="card" id="client-private">
      <h2>Private details <span class="muted small">only your business</span></h2>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      <dl class="facts">
        <dt>Status</dt><dd><span class={`badge badge-${client.status}`} data-testid="client-status">{client.status}</span></dd>
        <dt>Tags</dt><dd data-testid="client-tags">{client.tags.length ? client.tags.map((t) => <a class="chip" href={`/app/clients?tag=${encodeURIComponent(t)}`}>{t}</a>) : <span class="muted">none</span>}</dd>
        <dt>Pricing tier</dt><dd>{client.settings.pricing_tier ?? <span class="muted">standard</span>}</dd>
        <dt>Tax rate</dt><dd>{client.settings.tax_rate === null ? <span class="muted">default</span> : `${Math.round(client.settings.tax_rate * 10_000) / 100}%`}</dd>
        {custom.map(([k, val]) => <><dt>{k}</dt><dd>{String(val ?? '')}</dd></>)}
      </dl>
      <details class="edit" open={failed}>
        <summary>Edit details</summary>
        <form method="post" action={`/app/clients/${client.org_client_id}/details`} hx-post={`/app/clients/${client.org_client_id}/details`}
          hx-target="#client-private" hx-swap="outerHTML">
          <Csrf session={session} />
          <div class="cols-2">
            <SelectField label="Status" name="status" id="edit-status" value={v['status']} error={e['status']}
              options={[{ value: 'active', label: 'Active' }, { value: 'lead', label: 'Lead' }, { value: 'inactive', label: 'Inactive' }]} />
            <Field label="Tags (comma-separated)" name="tags" id="edit-tags" value={v['tags']} error={e['tags']} autocomplete="off" />
            <Field label="Pricing tier" name="pricing_tier" id="edit-tier" value={v['pricing_tier']} error={e['pricing_tier']} placeholder="standard" autocomplete="off" />
            <Field label="Tax rate (%)" name="tax_rate" id="edit-tax" value={v['tax_rate']} error={e['tax_rate']} inputmode="decimal" placeholder="e.g. 8.25" autocomplete="off" />
          </div>
          <button type="submit" class="primary">Save details</button>
        </form>
      </details>
    </section>
  )
}

/** Private notes, newest first, with a box to add one. */
export function Notes({ session, client, error, value }: { session: StaffSession; client: ClientDetail; error?: string; value?: string }) {
  const tz = session.organization.timezone
  return (
    <section class="card" id="client-notes">
      <h2>Notes <span class="muted small">only your business</span></h2>
      <form method="post" action={`/app/clients/${client.org_client_id}/notes`} hx-post={`/app/clients/${client.org_client_id}/notes`}
        hx-target="#client-notes" hx-swap="outerHTML">
        <Csrf session={session} />
        <TextareaField label="Add a note" name="note" id="new-note" value={value} error={error} rows={2} placeholder="Gate code, pets, what they asked for…" />
        <button type="submit">Add note</button>
      </form>
      {client.notes.length === 0 ? null : (
        <ul class="notes" data-testid="notes">
          {[...client.notes].reverse().map((n) => (
            <li><p class="pre">{n.text}</p><p class="muted small">{stamp(n.at, tz)}{n.author ? ` · ${n.author}` : ''}</p></li>
          ))}
        </ul>
      )}
    </section>
  )
}
