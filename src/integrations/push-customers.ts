/**
 * Clients pushed to the CRM as customers (seed 003's "create/update customers on contact
 * creation"), from the `events` queue: a client created or changed here is created in each
 * connected CRM with "push new clients" on, or updated there once linked (Jobber `clientCreate` /
 * `clientEdit`, Housecall Pro `POST`/`PUT /customers`, ServiceTitan CRM v2 customers). The link is
 * written at once (`linked_by` 'push'), so a redelivered message edits instead of creating twice.
 */
import type { CustomerCard } from '../../durable-objects/org/integrations/crm-push'
import { syncSettings } from '../../durable-objects/org/integrations/connection-settings'
import type { ConnectionSettings } from '../../durable-objects/org/schema'
import { clock } from '../clock'
import type { Env } from '../env'
import { orgStub } from '../organizations'
import type { CrmCustomerMessage } from '../queues/messages'
import { type CallOutcome, failed, jobberMutation, type LogStep, NO_TOKEN, networkError, restCall } from './crm-calls'
import { connectionsOf } from './remote'

type CrmProvider = CrmCustomerMessage['provider']
type ApiEnv = Pick<Env, 'INTEGRATION_ENDPOINTS' | 'SERVICETITAN_APP_KEY'>

/** One attempt at a customer push; throws RetryLater when the queue should try again. `attempt` is 1-based. */
export async function pushCustomer(
  env: Env,
  msg: CrmCustomerMessage,
  attempt: number,
  now = clock.now(),
): Promise<void> {
  const org = orgStub(env, msg.organization_id)
  const eventKey = `client:${msg.org_client_id}`
  let known = ''
  let topic = `customer_${msg.reason}`
  const log: LogStep = (status, detail, externalId) =>
    org.recordCrmStep(msg.connection_id, {
      step: 'customer',
      status,
      attempt,
      eventKey,
      topic,
      orgClientId: msg.org_client_id,
      externalId: externalId ?? (known || null),
      detail,
    })
  const settings = await connectionsOf(org).connectionSettings(msg.connection_id)
  if (!settings) return
  // Queued before the setting was turned off: the push stops here.
  if (!syncSettings(settings).push_new_clients) return log('skipped', 'not pushed: "push new clients" is off')
  const card = await org.crmCustomerCard(msg.connection_id, msg.org_client_id)
  if (!card) return log('skipped', 'not pushed: the client is gone')
  known = card.external_id ?? ''
  // What is done decides the topic: a redelivered "created" finds the customer linked and edits it.
  topic = card.external_id ? 'customer_updated' : 'customer_created'
  const label = `crm customer ${msg.org_client_id}`
  if (!card.claimed) return failed(CREATING, attempt, now, log, label)
  const token = await connectionsOf(org).accessToken(msg.connection_id)
  if (!token) {
    if (!card.external_id) await org.releaseCrmCreate(msg.connection_id, msg.org_client_id)
    return failed(NO_TOKEN, attempt, now, log, label)
  }
  // Linked already (a redelivery, or a client the CRM has): an edit, never a second customer.
  const outcome = await (card.external_id
    ? editCustomer(env, msg.provider, token, settings, card.external_id, card)
    : createCustomer(env, msg.provider, token, settings, card)
  ).catch(networkError)
  if (!outcome.ok) {
    if (!card.external_id) await org.releaseCrmCreate(msg.connection_id, msg.org_client_id)
    return failed(outcome, attempt, now, log, label)
  }
  if (!card.external_id) await org.linkCrmPushed(msg.connection_id, 'client', msg.org_client_id, outcome.id)
  return log('ok', `HTTP ${outcome.status}: customer ${card.external_id ? 'updated' : 'created'}`, outcome.id)
}

/** Another push is creating this client's customer right now: this one waits, then finds the link and edits. */
export const CREATING: Extract<CallOutcome, { ok: false }> = {
  ok: false,
  status: null,
  retryable: true,
  retryAfter: '30',
  detail: 'another push is creating this customer; trying again after it',
}

/** Creates the customer in the CRM; the outcome's id is the new customer's. */
export function createCustomer(
  env: ApiEnv,
  provider: CrmProvider,
  token: string,
  settings: ConnectionSettings,
  card: CustomerCard,
): Promise<CallOutcome> {
  switch (provider) {
    case 'jobber':
      return jobberMutation(env, token, CLIENT_CREATE, { input: jobberClient(card, true) }, 'clientCreate')
    case 'housecallpro':
      return restCall(env, 'housecallpro', token, '/customers', 'POST', housecallProCustomer(card, true))
    case 'servicetitan':
      if (!card.address)
        return Promise.resolve({
          ok: false,
          status: null,
          retryable: false,
          retryAfter: null,
          detail: 'ServiceTitan needs an address for a new customer: add one to the client',
        })
      return restCall(env, 'servicetitan', token, stCustomers(settings), 'POST', serviceTitanCustomer(card, true))
  }
}

/** Updates the linked customer from the client as it is now. */
export function editCustomer(
  env: ApiEnv,
  provider: CrmProvider,
  token: string,
  settings: ConnectionSettings,
  externalId: string,
  card: CustomerCard,
): Promise<CallOutcome> {
  const path = `/${encodeURIComponent(externalId)}`
  switch (provider) {
    case 'jobber':
      return jobberMutation(
        env,
        token,
        CLIENT_EDIT,
        { clientId: externalId, input: jobberClient(card, false) },
        'clientEdit',
      )
    case 'housecallpro':
      return restCall(env, 'housecallpro', token, `/customers${path}`, 'PUT', housecallProCustomer(card, false))
    case 'servicetitan':
      return restCall(
        env,
        'servicetitan',
        token,
        `${stCustomers(settings)}${path}`,
        'PATCH',
        serviceTitanCustomer(card, false),
      )
  }
}

const CLIENT_CREATE = `mutation HomeBaseClientCreate($input: ClientCreateInput!) {
  clientCreate(input: $input) { client { id } userErrors { message path } }
}`

const CLIENT_EDIT = `mutation HomeBaseClientEdit($clientId: EncodedId!, $input: ClientEditInput!) {
  clientEdit(clientId: $clientId, input: $input) { client { id } userErrors { message path } }
}`

/**
 * Jobber's `ClientCreateInput` / `ClientEditInput`: names, `companyName`, `emails`/`phones` lists
 * and `billingAddress`, after Jobber's GraphQL reference and its app template; a new client also
 * gets its address as a property (needed to book a job there). An edit sends names, company and
 * address only: its `emailsToAdd`/`phonesToAdd` would add a copy on every edit. Field names marked
 * unconfirmed in PROVIDERS.md, so kept here alone.
 */
function jobberClient(card: CustomerCard, create: boolean): Record<string, unknown> {
  const address = card.address
    ? {
        street1: card.address.address1,
        street2: card.address.address2 ?? undefined,
        city: card.address.city,
        province: card.address.state,
        postalCode: card.address.postal,
        country: card.address.country,
      }
    : undefined
  return {
    firstName: card.first_name ?? '',
    lastName: card.last_name ?? '',
    companyName: card.company ?? undefined,
    ...(address ? { billingAddress: address } : {}),
    ...(create
      ? {
          emails: card.emails.map((a, i) => ({ description: 'MAIN', primary: i === 0, address: a })),
          phones: card.phones.map((n, i) => ({ description: 'MAIN', primary: i === 0, number: n })),
          ...(address ? { properties: [{ address }] } : {}),
        }
      : {}),
  }
}

/** Housecall Pro's customer: one email and up to three numbers (mobile, home, work); a new one gets its address. */
function housecallProCustomer(card: CustomerCard, create: boolean): Record<string, unknown> {
  const [mobile, home, work] = card.phones
  return {
    first_name: card.first_name ?? '',
    last_name: card.last_name ?? '',
    email: card.primary_email,
    mobile_number: mobile ?? null,
    home_number: home ?? null,
    work_number: work ?? null,
    company: card.company,
    ...(create && card.address
      ? {
          addresses: [
            {
              street: card.address.address1,
              street_line_2: card.address.address2,
              city: card.address.city,
              state: card.address.state,
              zip: card.address.postal,
              country: card.address.country,
            },
          ],
        }
      : {}),
  }
}

const stCustomers = (settings: ConnectionSettings) =>
  `/crm/v2/tenant/${encodeURIComponent(settings.tenant_id ?? '')}/customers`

/**
 * ServiceTitan's customer: a commercial one is named for its company (the client's account), a
 * residential one for the person; a new one carries its address as a location and its phones and
 * emails as contacts (CRM v2 `CustomerCreateRequest`).
 */
function serviceTitanCustomer(card: CustomerCard, create: boolean): Record<string, unknown> {
  const person = [card.first_name, card.last_name].filter(Boolean).join(' ') || '(no name)'
  const address = card.address
    ? {
        street: card.address.address1,
        unit: card.address.address2,
        city: card.address.city,
        state: card.address.state,
        zip: card.address.postal,
        country: card.address.country,
      }
    : undefined
  return {
    name: card.company ?? person,
    type: card.company ? 'Commercial' : 'Residential',
    ...(address ? { address } : {}),
    ...(create
      ? {
          locations: address ? [{ name: person, address }] : [],
          contacts: [
            ...card.phones.map((value, i) => ({ type: i === 0 ? 'MobilePhone' : 'Phone', value })),
            ...card.emails.map((value) => ({ type: 'Email', value })),
          ],
        }
      : {}),
  }
}
