/**
 * Clients' email replies, however they arrive (Cloudflare Email Routing or the provider's
 * webhook): matched to the business (the signed reply address it was sent to, else the one
 * business holding the sender) and to the client whose card holds the sender's address, then
 * filed once per delivery key on that client's conversation.
 */
import { eq } from 'drizzle-orm'
import { peopleDb } from '../db'
import type { Env } from '../env'
import { orgStub } from '../organizations'
import { normalizeEmail } from '../people/normalize'
import { personEmails, personOrgs } from '../people/schema'
import { organizationOfReplyAddress } from './reply-address'
import { replyText } from './reply-text'
import { messagingOf } from '../messaging/remote'

/** What became of a reply: filed on a client, filed before (a replay), or matched to nobody. */
export type Filed =
  | { status: 'filed' | 'duplicate'; organization_id: string; org_client_id: string }
  | { status: 'unmatched'; reason: string }

/** An email as received, its text still holding the quoted history. */
export type ReceivedEmail = { from: string; to: string[]; subject: string; text: string; key: string }

/**
 * The business a reply from `from` is for: the one a reply address in `to` names (signed by us for
 * that sender). Only where no reply domain is set (so our email carries no signed address, and
 * answers come to EMAIL_FROM): the only business holding someone with that email; several
 * businesses, nobody, rather than showing one business a reply meant for another. With a reply
 * domain, mail without a signed address is nobody's: a `From:` is easily forged.
 */
export async function replyOrganization(env: Env, from: string, to: string[]): Promise<string | null> {
  for (const address of to) {
    const named = await organizationOfReplyAddress(env, address, from)
    if (named) return named
  }
  if (env.EMAIL_REPLY_DOMAIN?.trim()) return null
  const holders = await peopleDb(env.PEOPLE)
    .selectDistinct({ id: personOrgs.organizationId })
    .from(personEmails)
    .innerJoin(personOrgs, eq(personOrgs.personId, personEmails.personId))
    .where(eq(personEmails.email, from))
    .limit(2)
    .all()
  return holders.length === 1 ? holders[0]!.id : null
}

/** The sender's address as cards hold it; null when it is not an email address. */
export const senderOf = (from: string) => normalizeEmail(from)

/**
 * Files a reply. `text` is read lazily (a webhook fetches the body), and only when the reply
 * matched a client and its key is new: a replay costs no fetch and files nothing.
 */
export async function fileEmailReply(
  env: Env,
  mail: Omit<ReceivedEmail, 'text'> & { text: string | (() => Promise<string>) },
): Promise<Filed> {
  const from = senderOf(mail.from)
  if (!from) return { status: 'unmatched', reason: 'The sender has no email address.' }
  const organizationId = await replyOrganization(env, from, mail.to)
  if (!organizationId) return { status: 'unmatched', reason: 'No business is waiting for a reply from this address.' }
  const org = orgStub(env, organizationId)
  const target = await messagingOf(org).emailReplyTarget(from, mail.key)
  if (!target) return { status: 'unmatched', reason: 'The business has no client with this email address.' }
  if (target.seen) return { status: 'duplicate', organization_id: organizationId, org_client_id: target.orgClientId }
  const text = typeof mail.text === 'string' ? mail.text : await mail.text()
  const filed = await org.recordInboundEmail({
    from,
    subject: mail.subject.trim(),
    body: replyText(text),
    key: mail.key,
  })
  if (!filed) return { status: 'unmatched', reason: 'The business has no client with this email address.' }
  return {
    status: filed.duplicate ? 'duplicate' : 'filed',
    organization_id: organizationId,
    org_client_id: filed.orgClientId,
  }
}
