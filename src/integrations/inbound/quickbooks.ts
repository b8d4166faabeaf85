/**
 * QuickBooks Online webhooks, in both forms: the legacy `{"eventNotifications":[{realmId,
 * dataChangeEvent:{entities:[{name,id,operation,lastUpdated}]}}]}` and the CloudEvents array
 * (`type:"qbo.<entity>.<op>.v1"`, `intuitaccountid`, `intuitentityid`). The entities named are
 * fetched from the Accounting API (`/v3/company/{realm}/{entity}/{id}`) and mapped; we use
 * Customer, Invoice and Payment.
 */
import { bodyHash } from '../signatures'
import {
  address,
  arr,
  cents,
  dateOnly,
  iso,
  num,
  obj,
  PermanentError,
  str,
  type CanonicalChange,
  type CanonicalContact,
  type CrmInvoice,
  type Json,
  type ProviderApi,
} from './canonical'

/** One realm's part of a delivery, stored as its own receipt (a delivery may span realms). */
export type QuickBooksDelivery = { accountId: string; eventKey: string; topic: string; body: string }

/** An entity change named by a notification. */
export type QuickBooksEntity = { realm: string; name: string; id: string; operation: string; at: string | null }

/** Splits a delivery by realm (legacy) or event (CloudEvents); null when the body is neither form. */
export async function quickBooksDeliveries(text: string): Promise<QuickBooksDelivery[] | null> {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return null
  }
  const hash = (value: unknown) => bodyHash(new TextEncoder().encode(JSON.stringify(value)))
  if (Array.isArray(body)) {
    return Promise.all(
      body.map(async (event) => {
        const e = obj(event)
        return {
          accountId: str(e['intuitaccountid']) ?? '',
          eventKey: str(e['id']) ?? (await hash(e)),
          topic: str(e['type']) ?? 'qbo',
          body: JSON.stringify([e]),
        }
      }),
    )
  }
  const notifications = obj(body)['eventNotifications']
  if (!Array.isArray(notifications)) return null
  return Promise.all(
    notifications.map(async (n) => {
      const topic = quickBooksEntities({ eventNotifications: [n] })
        .map((e) => `${e.name}.${e.operation}`)
        .join(',')
      return {
        accountId: str(obj(n)['realmId']) ?? '',
        eventKey: `legacy:${await hash(n)}`,
        topic: topic.slice(0, 200) || 'qbo',
        body: JSON.stringify({ eventNotifications: [n] }),
      }
    }),
  )
}

/** The entity changes a stored delivery names, from either form. */
export function quickBooksEntities(body: unknown): QuickBooksEntity[] {
  if (Array.isArray(body)) {
    return body.map(obj).flatMap((e) => {
      const [, entity, operation] = (str(e['type']) ?? '').split('.')
      const [realm, id] = [str(e['intuitaccountid']), str(e['intuitentityid'])]
      if (!realm || !id || !entity || !operation) return []
      return [
        {
          realm,
          id,
          name: entity.charAt(0).toUpperCase() + entity.slice(1).toLowerCase(),
          operation: operation.toLowerCase(),
          at: iso(e['time']),
        },
      ]
    })
  }
  return arr(obj(body)['eventNotifications'])
    .map(obj)
    .flatMap((n) => {
      const realm = str(n['realmId'])
      return arr(obj(n['dataChangeEvent'])['entities'])
        .map(obj)
        .flatMap((e) => {
          const [name, id, operation] = [str(e['name']), str(e['id']), str(e['operation'])]
          return realm && name && id && operation
            ? [
                {
                  realm,
                  name,
                  id,
                  operation: LEGACY_OPERATIONS[operation] ?? operation.toLowerCase(),
                  at: iso(e['lastUpdated']),
                },
              ]
            : []
        })
    })
}

/** Legacy operation names in the CloudEvents spelling. */
const LEGACY_OPERATIONS: Record<string, string> = {
  Create: 'created',
  Update: 'updated',
  Delete: 'deleted',
  Merge: 'merged',
  Void: 'voided',
  Emailed: 'emailed',
}

/** Fetches and maps each entity; `companyUrl(realm)` is the Accounting API's company base URL. */
export async function quickBooksChanges(
  entities: QuickBooksEntity[],
  api: ProviderApi,
  companyUrl: (realm: string) => string,
): Promise<CanonicalChange[]> {
  const fetched = new Map<string, Promise<Json>>()
  const read = (realm: string, entity: string, id: string) => {
    const key = `${realm}/${entity}/${id}`
    if (!fetched.has(key)) fetched.set(key, fetchEntity(api, companyUrl(realm), entity, id))
    return fetched.get(key)!
  }
  const invoiceChange = async (
    realm: string,
    id: string,
    settle: boolean,
    voided = false,
  ): Promise<CanonicalChange> => {
    const invoice = await read(realm, 'Invoice', id)
    const customerId = str(obj(invoice['CustomerRef'])['value'])
    const client = customerId ? toContact(await read(realm, 'Customer', customerId)) : null
    return { kind: 'invoice', client, invoice: toInvoice(invoice, settle, voided) }
  }
  const changes: CanonicalChange[] = []
  for (const e of entities) {
    if (e.operation === 'deleted') continue
    if (e.name === 'Customer') {
      changes.push({
        kind: 'client',
        op: e.operation === 'created' ? 'created' : 'updated',
        client: toContact(await read(e.realm, 'Customer', e.id)),
      })
    } else if (e.name === 'Invoice') {
      changes.push(await invoiceChange(e.realm, e.id, true, e.operation === 'voided'))
    } else if (e.name === 'Payment') {
      const payment = await read(e.realm, 'Payment', e.id)
      for (const line of arr(payment['Line']).map(obj)) {
        for (const txn of arr(line['LinkedTxn']).map(obj)) {
          const invoiceId = str(txn['TxnId'])
          const amount = cents(line['Amount'])
          if (str(txn['TxnType']) !== 'Invoice' || !invoiceId || amount === null) continue
          changes.push(await invoiceChange(e.realm, invoiceId, false))
          changes.push({
            kind: 'payment',
            payment: { external_id: `${e.id}:${invoiceId}`, invoice_external_id: invoiceId, amount_cents: amount },
          })
        }
      }
    }
  }
  return changes
}

async function fetchEntity(api: ProviderApi, companyUrl: string, entity: string, id: string): Promise<Json> {
  const url = `${companyUrl}/${entity.toLowerCase()}/${encodeURIComponent(id)}?minorversion=75`
  const found = obj(
    obj(await api(`quickbooks ${entity} ${id}`, url, { headers: { accept: 'application/json' } }))[entity],
  )
  if (!str(found['Id'])) throw new PermanentError(`QuickBooks has no ${entity} ${id}`)
  return found
}

/** A QuickBooks Customer; one without a person's name or a company goes by its display name. */
function toContact(c: Json): CanonicalContact {
  const bill = obj(c['BillAddr'])
  const given = str(c['GivenName'])
  const family = str(c['FamilyName'])
  const company = str(c['CompanyName'])
  return {
    external_id: str(c['Id'])!,
    first_name: given ?? (family || company ? null : str(c['DisplayName'])),
    last_name: family,
    company,
    email: str(obj(c['PrimaryEmailAddr'])['Address']),
    phone: str(obj(c['Mobile'])['FreeFormNumber']) ?? str(obj(c['PrimaryPhone'])['FreeFormNumber']),
    address: address({
      address1: bill['Line1'],
      address2: bill['Line2'],
      city: bill['City'],
      state: bill['CountrySubDivisionCode'],
      postal: bill['PostalCode'],
      country: bill['Country'],
    }),
    is_lead: false,
    updated_at: iso(obj(c['MetaData'])['LastUpdatedTime']),
  }
}

/** A QuickBooks Invoice: paid when nothing is left of a non-zero total. */
function toInvoice(i: Json, settle: boolean, voided: boolean): CrmInvoice {
  const total = cents(i['TotalAmt']) ?? 0
  const balance = num(i['Balance'])
  return {
    external_id: str(i['Id'])!,
    job_external_id: null,
    total_cents: total,
    due_date: dateOnly(i['DueDate']),
    status: voided ? 'void' : balance === 0 && total > 0 ? 'paid' : 'open',
    settle,
    updated_at: iso(obj(i['MetaData'])['LastUpdatedTime']),
  }
}
