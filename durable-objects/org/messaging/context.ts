/**
 * What deciding messages needs from outside the object's transaction: the profile, the people's
 * consent (D1), the sender defaults and each client's signed links. Signing and D1 are async and
 * a decision is not, so a caller builds this first, then decides inside `host.write`.
 */
import { peopleDb } from '../../../src/db'
import { signLinkToken, signPortalToken } from '../../../src/messaging/portal-token'
import { consentsFor } from '../../../src/people/consent'
import { consentTargets } from '../cards/cards'
import type * as dispatch from './dispatch'
import type { OrgHost, ProfileRow } from '../host'
import { smsAllowance } from './plan-limit'

export type ContextHost = Pick<OrgHost, 'db' | 'env' | 'profile' | 'senders' | 'planLimits'>

/** The decision context for these clients at `now`; null before the profile exists. */
export async function dispatchContext(
  host: ContextHost,
  now: Date,
  personIds: string[],
  orgClientIds: string[],
): Promise<dispatch.DispatchContext | null> {
  const p = host.profile()
  if (!p) return null
  const consents = await consentsOf(host, p, personIds)
  const links = await linksFor(host, p, orgClientIds)
  const { smsFrom, emailFrom } = host.senders(p)
  return {
    now,
    businessName: p.name,
    timezone: p.timezone,
    quiet: { start: p.quietStart, end: p.quietEnd },
    smsFrom,
    emailFrom,
    consents,
    links,
    marketingCap: p.marketingCapPerDay,
    campaignBatchSize: p.campaignBatchSize,
    smsAllowance: smsAllowance(host.planLimits(), now, p.timezone),
    portalLinks: Object.fromEntries(Object.entries(links).map(([id, l]) => [id, l.portal])),
  }
}

/** The consent the organization holds for these people (keyed by the contact points its cards hold). */
export function consentsOf(host: Pick<OrgHost, 'db' | 'env'>, p: ProfileRow, personIds: string[]) {
  return consentsFor(peopleDb(host.env.PEOPLE), consentTargets(host.db, personIds), p.organizationId)
}

/**
 * Signed links for each client a run may write to: the portal, a fresh review request (used only
 * if a review step runs), and one-click unsubscribe.
 */
export async function linksFor(
  host: Pick<OrgHost, 'env' | 'senders'>,
  p: ProfileRow,
  orgClientIds: string[],
): Promise<Record<string, dispatch.ClientLinks>> {
  const key = host.env
  if (!key.PORTAL_SIGNING_KEY) {
    console.error(
      'PORTAL_SIGNING_KEY is not set: messages that need a signed link (journeys, campaigns, portal links) cannot be written',
    )
    return {}
  }
  const { organizationId } = p
  const base = host.senders(p).baseUrl
  const links: Record<string, dispatch.ClientLinks> = {}
  await Promise.all(
    orgClientIds.map(async (c) => {
      const reviewId = crypto.randomUUID()
      const [portal, review, unsubscribe] = await Promise.all([
        signPortalToken(key, organizationId, c),
        signLinkToken(key, { o: organizationId, c, p: 'review', r: reviewId }, 60),
        signLinkToken(key, { o: organizationId, c, p: 'unsubscribe' }, 365),
      ])
      links[c] = {
        portal: `${base}/p/${portal}`,
        review: { id: reviewId, url: `${base}/r/${review}` },
        unsubscribe: `${base}/u/${unsubscribe}`,
      }
    }),
  )
  return links
}
