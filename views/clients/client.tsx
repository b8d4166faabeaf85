/** One client's page: the heading and actions, and the cards (contact, addresses, details, notes, work, timeline). */
import type { ClientAddress } from '../../durable-objects/org/cards/addresses'
import type { Card } from '../../durable-objects/org/cards/cards'
import type { ClientDetail } from '../../durable-objects/org/crm/clients'
import type { Invoice } from '../../durable-objects/org/crm/invoices'
import type { TimelineItem } from '../../durable-objects/org/crm/reports'
import type { Consent } from '../../src/people/consent'
import type { FormErrors, FormValues } from '../fields'
import { longDate, money, personName } from '../format'
import type { Series } from '../../durable-objects/org/crm/series'
import type { JobItem } from '../jobs'
import { useSession } from '../layout'
import { AskForReview } from '../reviews/ask'
import { BriefCard } from '../assistant/brief'
import { type AddressEditing, Properties } from './addresses'
import { ContactCard, ContactForm, type FormState } from './card'
import type { ConversationItem } from '../../durable-objects/org/messaging/conversations'
import { ConversationCard } from './conversation'
import { ConsentCard } from './consent'
import { Notes, PrivateDetails } from './details'
import { Timeline } from './timeline'
import { ClientSeries } from './series'
import { ClientEstimates } from './estimates'
import { ClientCrm } from './crm-card'
import { ClientInvoices, ClientJobs } from './work'
import { ClientActivities, type ClientSales } from '../leads/client-history'

export type ClientPageProps = {
  client: ClientDetail
  contact: Card | null
  /** The client's addresses with who wrote each. */
  addresses: ClientAddress[]
  consent: Consent | null
  jobs: JobItem[]
  /** The client's repeating visits. */
  series: Series[]
  invoices: Invoice[]
  timeline: TimelineItem[]
  /** The client's conversation: what we sent and what they answered. */
  conversation?: ConversationItem[]
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
  /** The client's activities and the leads it came from. */
  sales?: ClientSales
  /** A refused activity, shown in place. */
  activity?: { values: FormValues; errors: FormErrors }
  /** A refused Log a call form, shown in place. */
  call?: { values: FormValues; errors: FormErrors }
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
            {client.account_id ? (
              <>
                {' · '}contact of{' '}
                <a href={`/app/accounts/${client.account_id}`} data-testid="client-account">
                  {client.account_name}
                </a>
              </>
            ) : null}
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
      <BriefCard subject="clients" id={client.org_client_id} />
      {p.conversation ? (
        <ConversationCard clientId={client.org_client_id} items={p.conversation} back="client" />
      ) : null}
      <div class="grid-2">
        <Properties clientId={client.org_client_id} addresses={p.addresses} editing={p.addressEdit} />
        <Notes client={client} {...p.note} />
        {p.consent ? <ConsentCard clientId={client.org_client_id} consent={p.consent} /> : null}
        <AskForReview clientId={client.org_client_id} />
      </div>
      <div class="grid-2">
        <ClientJobs jobs={p.jobs} tz={tz} />
        <ClientInvoices invoices={p.invoices} />
      </div>
      <ClientEstimates clientId={client.org_client_id} />
      <ClientCrm clientId={client.org_client_id} />
      <ClientSeries series={p.series} clientId={client.org_client_id} tz={tz} />
      {p.sales ? (
        <ClientActivities clientId={client.org_client_id} sales={p.sales} tz={tz} form={p.activity} callForm={p.call} />
      ) : null}
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
