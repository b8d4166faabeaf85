/**
 * The Reply-To of the email we send: `reply+{organization}.{signature}@{EMAIL_REPLY_DOMAIN}`, so a
 * client's answer names the business it answers. The signature (HMAC-SHA256 under the portal key
 * ring, cut to 80 bits) covers the business and the address the email went to, so an address is
 * good only for answers from that address: nobody can guess one for another business, and a
 * client who has their own cannot use it to write into another client's thread by forging a
 * `From:`. It fits the 64 characters an address's local part may have.
 */
import { keyRing, timingSafeEqual } from '../auth/crypto'
import { fromHex, hex } from '../encoding'
import type { Env } from '../env'
import { hmacSha256 } from '../integrations/signatures'

type ReplyEnv = Pick<Env, 'EMAIL_REPLY_DOMAIN' | 'PORTAL_SIGNING_KEY' | 'PORTAL_SIGNING_KEY_ID' | 'PORTAL_OLD_KEYS'>

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const ADDRESS = /^reply\+([0-9a-f]{32})\.([0-9a-f]{20})@/
const SIGNATURE_BYTES = 10

async function signature(secret: string, organizationId: string, recipient: string): Promise<Uint8Array> {
  const mac = await hmacSha256(
    secret,
    new TextEncoder().encode(`reply-to:${organizationId}:${recipient.toLowerCase()}`),
  )
  return mac.slice(0, SIGNATURE_BYTES)
}

/**
 * The address answers to an email of the organization to `recipient` come back to; null when
 * EMAIL_REPLY_DOMAIN or the signing key is not set (replies then go to EMAIL_FROM).
 */
export async function replyAddress(env: ReplyEnv, organizationId: string, recipient: string): Promise<string | null> {
  const { current } = keyRing(env.PORTAL_SIGNING_KEY, env.PORTAL_SIGNING_KEY_ID, env.PORTAL_OLD_KEYS)
  const domain = env.EMAIL_REPLY_DOMAIN?.trim().toLowerCase()
  if (!domain || !current || !UUID.test(organizationId)) return null
  const sig = hex(await signature(current.secret, organizationId, recipient))
  return `reply+${organizationId.replace(/-/g, '')}.${sig}@${domain}`
}

/**
 * The organization a reply address names, when one of our keys signed it (any domain) for the
 * address the answer comes from (`from`); else null.
 */
export async function organizationOfReplyAddress(env: ReplyEnv, address: string, from: string): Promise<string | null> {
  const m = ADDRESS.exec(address.trim().toLowerCase())
  if (!m) return null
  const h = m[1]!
  const organizationId = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
  const given = fromHex(m[2]!)
  const { all } = keyRing(env.PORTAL_SIGNING_KEY, env.PORTAL_SIGNING_KEY_ID, env.PORTAL_OLD_KEYS)
  for (const secret of new Set(all.values())) {
    if (timingSafeEqual(given, await signature(secret, organizationId, from))) return organizationId
  }
  return null
}
