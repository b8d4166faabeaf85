/**
 * Cross-provider history for a signed-in homeowner. Whom to look for comes from the registry (the
 * people the account proved to be or who hold a point it proved, and the organizations holding
 * them); what may be seen is decided by each organization: only a client whose card there holds a
 * point the account proved.
 */
import type { PortalView } from '../../durable-objects/org/portal/view'
import type { PeopleDb } from '../db'
import type { Env } from '../env'
import { orgStub } from '../organizations'
import { isClientOf, organizationsOf } from '../people/registry'
import { candidatePeople, provenPoints } from './accounts'
import { portalOf } from './remote'

/** At most this many providers are asked; nobody has more service businesses than this. */
const MAX_PROVIDERS = 50

/** One provider the account may see: the organization, the person and that organization's client. */
export type VisibleClient = { organizationId: string; personId: string; orgClientId: string }

/** The client of one of the account's people at one organization whose card holds a proven point, else null. */
export async function clientAt(
  env: Env,
  db: PeopleDb,
  accountId: string,
  organizationId: string,
): Promise<{ personId: string; orgClientId: string } | null> {
  const points = await provenPoints(db, accountId)
  if (points.length === 0) return null
  const org = orgStub(env, organizationId)
  for (const personId of await candidatePeople(db, accountId)) {
    if (!(await isClientOf(db, personId, organizationId))) continue
    const orgClientId = await portalOf(org).portalClientFor(personId, points)
    if (orgClientId) return { personId, orgClientId }
  }
  return null
}

/** Every provider the account may see, one client per organization (the account's first person there). */
export async function visibleClients(env: Env, db: PeopleDb, accountId: string): Promise<VisibleClient[]> {
  const points = await provenPoints(db, accountId)
  if (points.length === 0) return []
  const people = await candidatePeople(db, accountId)
  const pairs = (
    await Promise.all(
      people.map(async (personId) =>
        (await organizationsOf(db, personId)).map((organizationId) => ({ personId, organizationId })),
      ),
    )
  )
    .flat()
    .slice(0, MAX_PROVIDERS)
  const found = await Promise.all(
    pairs.map(async ({ personId, organizationId }) => {
      const orgClientId = await portalOf(orgStub(env, organizationId)).portalClientFor(personId, points)
      return orgClientId ? { organizationId, personId, orgClientId } : null
    }),
  )
  const byOrganization = new Map<string, VisibleClient>()
  for (const client of found)
    if (client && !byOrganization.has(client.organizationId)) byOrganization.set(client.organizationId, client)
  return [...byOrganization.values()]
}

/** Every visible provider's view: those with the next visit first, then by name. */
export async function historyFor(
  env: Env,
  db: PeopleDb,
  accountId: string,
): Promise<Array<PortalView & { person_id: string }>> {
  const views = await Promise.all(
    (await visibleClients(env, db, accountId)).map(async ({ organizationId, personId, orgClientId }) => {
      const view = await portalOf(orgStub(env, organizationId)).portalView(orgClientId)
      return view ? { ...view, person_id: personId } : null
    }),
  )
  const next = (v: PortalView) => v.upcoming[0]?.start_at ?? '9999'
  return views
    .filter((v): v is PortalView & { person_id: string } => v !== null)
    .sort((a, b) => next(a).localeCompare(next(b)) || a.business.name.localeCompare(b.business.name))
}
