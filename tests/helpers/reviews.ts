/** Helpers for review-funnel tests: a review request for a client with its signed link, and posting the public forms. */
import { env, SELF } from 'cloudflare:test'
import { unwrap } from '../../durable-objects/org/result'
import { signLinkToken } from '../../src/messaging/portal-token'
import { orgStub } from '../../src/organizations'
import { api, BASE, type TestOrg } from './factories'
import { orgWithClient } from './messaging'
import { reviews } from '../../src/reviews/remote'

export const GOOGLE_URL = 'https://g.page/r/sparkle-cleaning/review'

/** An organization with a public review link (unless told `null`) and a client in California. */
export async function funnelOrg(opts: { url?: string | null } = {}) {
  const setup = await orgWithClient()
  if (opts.url !== null)
    await api(setup.org, 'PATCH', '/api/v1/organization', { google_review_url: opts.url ?? GOOGLE_URL })
  return setup
}

/** Opens a review request for the client and signs its rating-page link, as a journey step would. */
export async function reviewLink(org: TestOrg, orgClientId: string, channel: 'sms' | 'email' | 'portal' = 'sms') {
  const requestId = unwrap(await reviews(orgStub(env, org.organizationId)).openReviewRequest(orgClientId, channel))
  const token = await signLinkToken(
    env.PORTAL_SIGNING_KEY!,
    { o: org.organizationId, c: orgClientId, p: 'review', r: requestId },
    60,
  )
  return { requestId, token, path: `/r/${token}` }
}

/** A GET as a browser makes it, without following redirects. */
export function open(path: string) {
  return SELF.fetch(`${BASE}${path}`, { redirect: 'manual' })
}

/** A plain browser form post from the page itself (same origin, no session). */
export function postForm(path: string, fields: Record<string, string>) {
  return SELF.fetch(`${BASE}${path}`, {
    method: 'POST',
    headers: { origin: BASE, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  })
}

/** The review requests of an organization, as the API lists them. */
export async function reviewRequestsOf(org: TestOrg, query = '') {
  const res = await api(org, 'GET', `/api/v1/review-requests${query}`)
  return (
    await res.json<{
      items: Array<{
        id: string
        status: string
        rating: number | null
        public_clicked_at: string | null
        opened_at: string | null
        channel: string
        tech_id: string | null
      }>
    }>()
  ).items
}
