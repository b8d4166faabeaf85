/**
 * Who may do what in the portal. A link grants one client at one organization: the whole portal
 * (`portal`), or one action on one record (`pay` an invoice, `confirm` a visit). A homeowner
 * session grants each organization whose own card of the person holds a point the account proved.
 */
import type { OrgObject } from '../../durable-objects/org/org-object'
import type { Env } from '../env'
import { peopleDb } from '../db'
import { readLinkToken, type PortalClaims } from '../messaging/portal-token'
import { orgStub } from '../organizations'
import { clientAt } from './history'
import { signingKeys, type PortalPurpose } from './links'
import type { HomeownerSession } from './sessions'
import { portalOf } from './remote'

export type PortalAccess = {
  organizationId: string
  orgClientId: string
  personId: string
  org: DurableObjectStub<OrgObject>
  purpose: PortalPurpose
  /** The one record an action link is about. */
  resource?: string
  /** Where this access's forms post (`/p/{token}` or `/p/me/{organization}`) and where it comes back to. */
  base: string
  home: string
  /** The session's CSRF token, carried by every form of a signed-in homeowner. */
  csrf: string | null
  /** The link this access came from; null for a session. */
  token: string | null
}

export type PortalAction = 'view' | 'confirm' | 'reschedule' | 'rate' | 'pay' | 'preferences' | 'verify'

/** A portal link and a session may do anything for their client; an action link only its one action on its one record. */
export function allows(access: PortalAccess, action: PortalAction, id?: string): boolean {
  if (access.purpose === 'portal') return action !== 'verify' || access.token !== null
  if (action === 'view') return true
  return action === access.purpose && id === access.resource
}

const PURPOSES: PortalPurpose[] = ['portal', 'pay', 'confirm']

export type LinkState =
  | { state: 'ok'; access: PortalAccess }
  | { state: 'expired'; claims: PortalClaims }
  | { state: 'invalid' }

/** What a `/p/{token}` link grants: tampered, foreign-purpose (a review or unsubscribe link) or for a deleted client is invalid. */
export async function linkAccess(env: Env, token: string): Promise<LinkState> {
  const keys = signingKeys(env)
  const read = keys ? await readLinkToken(keys, token) : null
  const purpose = read ? (read.claims.p ?? 'portal') : null
  if (!read || !purpose || !PURPOSES.includes(purpose as PortalPurpose)) return { state: 'invalid' }
  if (purpose !== 'portal' && !read.claims.r) return { state: 'invalid' }
  if (read.expired) return { state: 'expired', claims: read.claims }
  const org = orgStub(env, read.claims.o)
  const contact = await portalOf(org).portalContact(read.claims.c)
  if (!contact) return { state: 'invalid' }
  const base = `/p/${token}`
  return {
    state: 'ok',
    access: {
      organizationId: read.claims.o,
      orgClientId: read.claims.c,
      personId: contact.person_id,
      org,
      purpose: purpose as PortalPurpose,
      resource: read.claims.r,
      base,
      home: base,
      csrf: null,
      token,
    },
  }
}

/** What a signed-in homeowner may see at one organization; null unless its card of one of their people holds a point they proved. */
export async function sessionAccess(
  env: Env,
  session: HomeownerSession,
  organizationId: string,
): Promise<PortalAccess | null> {
  const found = await clientAt(env, peopleDb(env.PEOPLE), session.accountId, organizationId)
  if (!found) return null
  return {
    organizationId,
    orgClientId: found.orgClientId,
    personId: found.personId,
    org: orgStub(env, organizationId),
    purpose: 'portal',
    base: `/p/me/${organizationId}`,
    home: '/p/me',
    csrf: session.csrfToken,
    token: null,
  }
}
