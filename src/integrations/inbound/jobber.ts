/**
 * Jobber webhooks: the payload names a topic and an item; the item is fetched over Jobber's
 * GraphQL API with the connection's token and mapped to canonical changes. Every query text
 * lives here. Field names follow Jobber's public schema docs; re-introspect before upgrading
 * the API version.
 */
import { bodyHash } from '../signatures'
import {
  address,
  arr,
  cents,
  dateOnly,
  iso,
  obj,
  PermanentError,
  str,
  type CanonicalChange,
  type CanonicalContact,
  type CrmInvoice,
  type CrmJob,
  type Json,
  type ProviderApi,
} from './canonical'

/** `{"data":{"webHookEvent":{topic, appId, accountId, itemId, occurredAt}}}`. */
export type JobberEvent = {
  topic: string
  appId: string | null
  accountId: string
  itemId: string
  occurredAt: string | null
}

/** The event of a Jobber delivery, or null when the body is not one. */
export function parseJobberEvent(text: string): JobberEvent | null {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return null
  }
  const e = obj(obj(obj(body)['data'])['webHookEvent'])
  const [topic, accountId, itemId] = [str(e['topic']), str(e['accountId']), str(e['itemId'])]
  if (!topic || !accountId || !itemId) return null
  // Jobber's 2023 schema spells it `occuredAt`; real payloads say `occurredAt`.
  return { topic, appId: str(e['appId']), accountId, itemId, occurredAt: str(e['occurredAt']) ?? str(e['occuredAt']) }
}

/** Jobber sends no event id: the replay key hashes what identifies the event. */
export async function jobberEventKey(e: JobberEvent): Promise<string> {
  return bodyHash(new TextEncoder().encode(`${e.topic}|${e.accountId}|${e.itemId}|${e.occurredAt ?? ''}`))
}

const CLIENT =
  'id firstName lastName companyName isLead updatedAt emails { address primary } phones { number primary } billingAddress { street1 street2 city province postalCode country }'
const JOB = `id title jobStatus total startAt endAt completedAt updatedAt client { ${CLIENT} } visits(first: 1) { nodes { startAt endAt } }`
const INVOICE = `id invoiceNumber invoiceStatus dueDate updatedAt amounts { total invoiceBalance } client { ${CLIENT} } jobs(first: 1) { nodes { id } }`

/** The GraphQL query for each kind of item a topic names. */
export const JOBBER_QUERIES = {
  client: `query HomeBaseClient($id: EncodedId!) { client(id: $id) { ${CLIENT} } }`,
  job: `query HomeBaseJob($id: EncodedId!) { job(id: $id) { ${JOB} } }`,
  visit: `query HomeBaseVisit($id: EncodedId!) { visit(id: $id) { id startAt endAt completedAt job { ${JOB} } } }`,
  invoice: `query HomeBaseInvoice($id: EncodedId!) { invoice(id: $id) { ${INVOICE} } }`,
  paymentRecord: `query HomeBasePayment($id: EncodedId!) { paymentRecord(id: $id) { id amount invoice { ${INVOICE} } } }`,
} as const

export type JobberGraphql = { url: string; version: string }

/** Fetches the event's item and maps it; topics we do not use map to nothing. */
export async function jobberChanges(e: JobberEvent, api: ProviderApi, gql: JobberGraphql): Promise<CanonicalChange[]> {
  const item = (kind: keyof typeof JOBBER_QUERIES) => fetchItem(api, gql, kind, e.itemId)
  switch (e.topic) {
    case 'CLIENT_CREATE':
    case 'CLIENT_UPDATE':
      return [
        {
          kind: 'client',
          op: e.topic === 'CLIENT_CREATE' ? 'created' : 'updated',
          client: toContact(await item('client')),
        },
      ]
    case 'JOB_CREATE':
    case 'JOB_UPDATE':
    case 'JOB_CLOSED': {
      const job = await item('job')
      return [
        {
          kind: 'job',
          client: toContact(obj(job['client'])),
          job: toJob(job, e.topic === 'JOB_CLOSED' ? 'completed' : 'scheduled', null),
        },
      ]
    }
    case 'VISIT_COMPLETE': {
      const visit = await item('visit')
      const job = obj(visit['job'])
      return [
        { kind: 'job', client: toContact(obj(job['client'])), job: toJob(job, 'completed', iso(visit['completedAt'])) },
      ]
    }
    case 'INVOICE_CREATE':
    case 'INVOICE_UPDATE': {
      const invoice = await item('invoice')
      return [{ kind: 'invoice', client: toContact(obj(invoice['client'])), invoice: toInvoice(invoice, true) }]
    }
    case 'PAYMENT_CREATE': {
      const payment = await item('paymentRecord')
      const invoice = obj(payment['invoice'])
      const [paymentId, invoiceId, amount] = [str(payment['id']), str(invoice['id']), cents(payment['amount'])]
      // A deposit not yet applied to an invoice pays nothing of ours.
      if (!paymentId || !invoiceId || amount === null) return []
      return [
        { kind: 'invoice', client: toContact(obj(invoice['client'])), invoice: toInvoice(invoice, false) },
        { kind: 'payment', payment: { external_id: paymentId, invoice_external_id: invoiceId, amount_cents: amount } },
      ]
    }
    case 'APP_DISCONNECT':
      return [{ kind: 'disconnect', reason: 'Jobber: the app was disconnected from the account' }]
    default:
      return []
  }
}

async function fetchItem(
  api: ProviderApi,
  gql: JobberGraphql,
  kind: keyof typeof JOBBER_QUERIES,
  id: string,
): Promise<Json> {
  const response = obj(
    await api(`jobber ${kind} ${id}`, gql.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-jobber-graphql-version': gql.version },
      body: JSON.stringify({ query: JOBBER_QUERIES[kind], variables: { id } }),
    }),
  )
  const item = obj(response['data'])[kind]
  const errors = arr(response['errors'])
    .map((err) => str(obj(err)['message']))
    .filter(Boolean)
  if (item && typeof item === 'object') return item as Json
  if (errors.length > 0 && !errors.some((m) => /not found|could not find/i.test(m!)))
    throw new Error(`Jobber GraphQL: ${errors.join('; ')}`)
  throw new PermanentError(`Jobber has no ${kind} ${id}`)
}

/** A Jobber client: the primary email and phone (else the first), the billing address. */
function toContact(client: Json): CanonicalContact {
  const primary = (list: unknown, field: string) => {
    const items = arr(list).map(obj)
    return str((items.find((i) => i['primary'] === true) ?? items[0])?.[field])
  }
  const billing = obj(client['billingAddress'])
  return {
    external_id: str(client['id']) ?? '',
    first_name: str(client['firstName']),
    last_name: str(client['lastName']),
    company: str(client['companyName']),
    email: primary(client['emails'], 'address'),
    phone: primary(client['phones'], 'number'),
    address: address({
      address1: billing['street1'],
      address2: billing['street2'],
      city: billing['city'],
      state: billing['province'],
      postal: billing['postalCode'],
      country: billing['country'],
    }),
    is_lead: client['isLead'] === true,
    updated_at: iso(client['updatedAt']),
  }
}

function toJob(job: Json, status: CrmJob['status'], completedAt: string | null): CrmJob {
  const visit = obj(arr(obj(job['visits'])['nodes'])[0])
  return {
    external_id: str(job['id']) ?? '',
    status,
    start_at: iso(job['startAt']) ?? iso(visit['startAt']),
    end_at: iso(job['endAt']) ?? iso(visit['endAt']),
    completed_at: completedAt ?? iso(job['completedAt']),
    total_cents: cents(job['total']),
    title: str(job['title']),
    updated_at: iso(job['updatedAt']),
  }
}

const INVOICE_STATUS: Record<string, CrmInvoice['status']> = {
  draft: 'draft',
  awaiting_payment: 'open',
  past_due: 'open',
  paid: 'paid',
  bad_debt: 'void',
}

function toInvoice(invoice: Json, settle: boolean): CrmInvoice {
  const amounts = obj(invoice['amounts'])
  return {
    external_id: str(invoice['id']) ?? '',
    job_external_id: str(obj(arr(obj(invoice['jobs'])['nodes'])[0])['id']),
    total_cents: cents(amounts['total']) ?? 0,
    due_date: dateOnly(invoice['dueDate']),
    status: INVOICE_STATUS[str(invoice['invoiceStatus'])?.toLowerCase() ?? ''] ?? 'open',
    settle,
    updated_at: iso(invoice['updatedAt']),
  }
}
