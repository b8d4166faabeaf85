/**
 * Cross-provider history for a verified homeowner: every organization holding a client record for
 * a person the account proved (person_orgs), each asked for its public portal view.
 */
import type { PortalView } from '../../durable-objects/org/portal/view'
import type { PeopleDb } from '../db'
import type { Env } from '../env'
import { orgStub } from '../organizations'
import { isClientOf, organizationsOf } from '../people/registry'
import { verifiedPersonIds } from './accounts'

/** At most this many providers are shown; nobody has more service businesses than this. */
const MAX_PROVIDERS = 50

/** The client record of a verified person of the account at one organization, else null. */
export async function clientAt(env: Env, db: PeopleDb, accountId: string, organizationId: string): Promise<{ personId: string; orgClientId: string } | null> {
  for (const personId of await verifiedPersonIds(db, accountId)) {
    if (!(await isClientOf(db, personId, organizationId))) continue
    const orgClientId = await orgStub(env, organizationId).clientIdForPerson(personId)
    if (orgClientId) return { personId, orgClientId }
  }
  return null
}

/** Every provider's view for the account's people: those with the next visit first, then by name. */
export async function historyFor(env: Env, db: PeopleDb, accountId: string): Promise<Array<PortalView & { person_id: string }>> {
  const people = await verifiedPersonIds(db, accountId)
  const pairs = (await Promise.all(people.map(async (personId) => (await organizationsOf(db, personId)).map((organizationId) => ({ personId, organizationId })))))
    .flat().slice(0, MAX_PROVIDERS)
  const views = await Promise.all(pairs.map(async ({ personId, organizationId }) => {
    const org = orgStub(env, organizationId)
    const orgClientId = await org.clientIdForPerson(personId)
    const view = orgClientId ? await org.portalView(orgClientId) : null
    return view ? { ...view, person_id: personId } : null
  }))
  const next = (v: PortalView) => v.upcoming[0]?.start_at ?? '9999'
  return views.filter((v): v is PortalView & { person_id: string } => v !== null)
    .sort((a, b) => next(a).localeCompare(next(b)) || a.business.name.localeCompare(b.business.name))
}
