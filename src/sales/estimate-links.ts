/**
 * The homeowner's side of an approval link `/e/<organization id>.<secret>`: which business's
 * object to ask, and the secret's hash it finds the estimate by. Anything that does not name a
 * business or match an estimate's current link opens nothing, the same way every time.
 */
import type { Answer } from '../../durable-objects/org/sales/estimates/answers'
import { sha256Hex } from '../auth/crypto'
import { peopleDb } from '../db'
import type { Env } from '../env'
import { getOrganization, orgStub, type Organization } from '../organizations'
import { convertEstimateLead } from './estimate-service'
import { sales } from './remote'

/** An organization id (a UUID), a dot, and 32 bytes in base64url. */
const TOKEN = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/

/** What an opened link leads to: the business, its estimates, and the hash of the link's secret. */
export type OpenedLink = {
  organization: Organization
  estimates: ReturnType<typeof sales>['estimates']
  hash: string
}

/** The business and the hash a token names; null for a token of the wrong shape or a business that does not exist. */
export async function openLink(env: Env, token: string): Promise<OpenedLink | null> {
  const m = TOKEN.exec(token)
  if (!m) return null
  const organization = await getOrganization(peopleDb(env.PEOPLE), m[1]!)
  if (!organization) return null
  return { organization, estimates: sales(orgStub(env, organization.id)).estimates, hash: await sha256Hex(m[2]!) }
}

/** Who answered, for the client card the lead's conversion may write: the homeowner, through the link. */
const LINK_AUTHOR = { source: 'api', by: 'estimate approval link' } as const

/** Records the homeowner's answer; an approval converts the estimate's lead. Null when the link opens nothing. */
export async function answerLink(env: Env, link: OpenedLink, answer: Answer) {
  const answered = await link.estimates.answer(link.hash, answer)
  if (!answered.ok) return null
  await convertEstimateLead(env, link.organization, answered.value.lead_to_convert, LINK_AUTHOR)
  return answered.value
}
