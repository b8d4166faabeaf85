/** Portal links for a client: the whole portal or one action (pay an invoice, confirm a visit), signed and expiring. */
import type { Env } from '../env'
import { signLinkToken, type LinkPurpose, type SigningKeys } from '../messaging/portal-token'

/** How long a portal or action link lasts unless told otherwise. */
export const LINK_DAYS = 30

/** The purposes a `/p/{token}` link may carry. */
export type PortalPurpose = Extract<LinkPurpose, 'portal' | 'pay' | 'confirm'>

export type LinkClaims = { o: string; c: string; p?: PortalPurpose; r?: string }

/** The key ring, or null when links are not configured (PORTAL_SIGNING_KEY unset). */
export function signingKeys(env: Env): SigningKeys | null {
  return env.PORTAL_SIGNING_KEY ? env : null
}

/** The public origin links point at: PUBLIC_BASE_URL, else the request's own. */
export function publicBase(env: Env, requestUrl: string): string {
  return env.PUBLIC_BASE_URL ?? new URL(requestUrl).origin
}

/** A full `/p/{token}` URL; a portal link drops the default purpose from its claims. */
export async function portalLink(
  keys: SigningKeys,
  base: string,
  claims: LinkClaims,
  days = LINK_DAYS,
): Promise<string> {
  const { p, ...rest } = claims
  const token = await signLinkToken(keys, p && p !== 'portal' ? { ...rest, p } : rest, days)
  return `${base}/p/${token}`
}

/** "the number ending in 0123" for a phone, "c•••@example.com" for an email: enough to recognise, not to read. */
export function maskContact(channel: 'sms' | 'email', value: string): string {
  if (channel === 'sms') return `the number ending in ${value.slice(-4)}`
  const [name = '', domain = ''] = value.split('@')
  return `${name.slice(0, 1)}•••@${domain}`
}
