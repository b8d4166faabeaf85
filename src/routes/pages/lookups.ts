/** Reads that several pages share: names beside ids, and the clients a picker offers. */
import type { Context } from 'hono'
import type { ClientRow } from '../../../durable-objects/org/crm/clients'
import type { Job } from '../../../durable-objects/org/crm/jobs'
import type { Service } from '../../../durable-objects/org/crm/services'
import type { AppEnv } from '../../env'
import { personName } from '../../../views/format'
import type { JobItem } from '../../../views/jobs'

/** Display names of clients by id, read in one call. */
export async function clientNames(c: Context<AppEnv>, ids: Iterable<string>): Promise<Record<string, string>> {
  const unique = [...new Set(ids)]
  const found = await c.get('org').clientNaming(unique)
  return Object.fromEntries(unique.map((id) => [id, found[id] ? personName(found[id]) : 'Unknown client']))
}

/** Jobs with their clients' and services' names. */
export async function jobItems(c: Context<AppEnv>, jobs: Job[], services?: Service[]): Promise<JobItem[]> {
  const [names, list] = await Promise.all([
    clientNames(
      c,
      jobs.map((j) => j.org_client_id),
    ),
    services ?? c.get('org').listServices({ include_archived: true }),
  ])
  const serviceName = new Map(list.map((s) => [s.id, s.name]))
  return jobs.map((job) => ({
    job,
    clientName: names[job.org_client_id] ?? 'Unknown client',
    serviceName: job.service_id ? (serviceName.get(job.service_id) ?? null) : null,
  }))
}

/** The newest clients for a picker, with the chosen one first when it is older than those. */
export async function pickerClients(c: Context<AppEnv>, chosen?: string): Promise<ClientRow[]> {
  const org = c.get('org')
  const [page, picked] = await Promise.all([
    org.listClients({ limit: 50 }),
    chosen ? org.getClient(chosen) : Promise.resolve(null),
  ])
  if (!picked || page.items.some((r) => r.org_client_id === picked.org_client_id)) return page.items
  return [picked, ...page.items]
}
