/**
 * The email a business gets when HomeBase support answers its ticket: the reply and a link to the
 * thread, to whoever opened the ticket (its owners when that person has left the team). Sent
 * through the configured email provider (the outbox locally), once per reply and person.
 */
import { and, eq } from 'drizzle-orm'
import type { PeopleDb } from '../db'
import type { Env } from '../env'
import { providerFor } from '../messaging/providers'
import { accounts, memberships } from '../people/schema'
import { ownersOf } from '../reviews/owners'

export type AnsweredTicket = { id: string; organizationId: string; openedBy: string; subject: string }

/** Who hears about an answer: the opener while on the team, else the business's owners. */
async function recipientsOf(db: PeopleDb, t: AnsweredTicket): Promise<Array<{ account_id: string; email: string }>> {
  const opener = await db
    .select({ account_id: accounts.id, email: accounts.email })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(and(eq(memberships.organizationId, t.organizationId), eq(memberships.accountId, t.openedBy)))
    .get()
  return opener ? [opener] : ownersOf(db, t.organizationId)
}

/** The email's words. */
export function replyEmailText(subject: string, reply: string, link: string): { subject: string; body: string } {
  return {
    subject: `Re: ${subject} [HomeBase support]`,
    body: `HomeBase support answered your ticket "${subject}":\n\n${reply}\n\nRead the whole conversation and reply: ${link}`,
  }
}

/**
 * Emails an operator's reply to the business (never an internal note: the caller sends only
 * replies). A failed send is logged; the reply stays on the ticket for the business to read.
 */
export async function emailOperatorReply(
  env: Env,
  db: PeopleDb,
  t: AnsweredTicket,
  reply: { id: string; body: string },
  baseUrl: string,
): Promise<void> {
  const text = replyEmailText(t.subject, reply.body, `${baseUrl}/app/support/${t.id}`)
  for (const r of await recipientsOf(db, t)) {
    try {
      await providerFor(
        env,
        'email',
      )({
        id: `support_reply:${reply.id}:${r.account_id}`,
        organizationId: t.organizationId,
        channel: 'email',
        to: r.email,
        from: env.EMAIL_FROM ?? 'HomeBase <reminders@homebase.test>',
        transactional: true,
        ...text,
      })
    } catch (error) {
      console.error('support reply: email not delivered', error instanceof Error ? error.message : String(error))
    }
  }
}
