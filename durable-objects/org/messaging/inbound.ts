/** Replies from clients, by text and email: stored on the timeline; an ordinary reply raises `replied`. */
import type { Keyword } from '../../../src/messaging/keywords'
import { sql } from 'drizzle-orm'
import type { OrgDb } from '../db'
import { emailWordsMatch, wholePhoneMatch } from '../crm/search'
import { recordEvent } from '../events'

/**
 * The live clients whose card holds this phone: those with it as their primary first, then the
 * newest. A household's shared phone gives several. The search index finds the few cards that
 * may hold it; each is then checked exactly.
 */
export function clientsWithPhone(db: OrgDb, phone: string): string[] {
  const match = wholePhoneMatch(phone)
  if (match === null) return []
  return db
    .all<{ id: string }>(sql`
    select c.id from client_search s
    join org_clients c on c.rowid = s.rowid join contacts k on k.person_id = c.person_id
    where client_search match ${match} and c.merged_into is null
      and exists (select 1 from json_each(k.phones) where value = ${phone})
    order by (k.primary_phone_e164 = ${phone}) desc, c.created_at desc`)
    .map((r) => r.id)
}

/**
 * When this business last texted the phone (sent or delivered, to a live client holding it), or
 * null: on a number several businesses share, a reply belongs to the one that wrote last.
 */
export function lastTextedAt(db: OrgDb, phone: string): string | null {
  const clients = clientsWithPhone(db, phone)
  if (clients.length === 0) return null
  const row = db.get<{ at: string | null }>(sql`
    select max(coalesce(sent_at, created_at)) as at from messages
    where org_client_id in (${sql.join(
      clients.map((id) => sql`${id}`),
      sql`, `,
    )}) and channel = 'sms' and "to" = ${phone} and status in ('sent', 'delivered')`)
  return row?.at ?? null
}

/**
 * Records an inbound SMS from a phone; returns the client it was filed under, if any. The text
 * goes on one client's timeline; a STOP or START, which is about the number, on every client who has it.
 */
export function recordInboundSms(
  db: OrgDb,
  from: string,
  body: string,
  keyword: Keyword | null,
  now = new Date(),
): string | null {
  const clients = clientsWithPhone(db, from)
  const orgClientId = clients[0]
  if (!orgClientId) return null
  const at = now.toISOString()
  recordEvent(
    db,
    'message',
    orgClientId,
    { channel: 'sms', direction: 'inbound', from, body: body.slice(0, 1600), keyword },
    at,
  )
  for (const id of clients) {
    if (keyword === 'opt_out') recordEvent(db, 'sms_opt_out', id, { from }, at)
    else if (keyword === 'opt_in') recordEvent(db, 'sms_opt_in', id, { from }, at)
  }
  if (keyword === null) recordEvent(db, 'replied', orgClientId, { channel: 'sms', from }, at)
  return orgClientId
}

/** The live clients whose card holds this email: those with it as their primary first, then the newest (found as phones are). */
export function clientsWithEmail(db: OrgDb, email: string): string[] {
  const match = emailWordsMatch(email)
  if (match === null) return []
  return db
    .all<{ id: string }>(sql`
    select c.id from client_search s
    join org_clients c on c.rowid = s.rowid join contacts k on k.person_id = c.person_id
    where client_search match ${match} and c.merged_into is null
      and exists (select 1 from json_each(k.emails) where value = ${email})
    order by (k.primary_email = ${email}) desc, c.created_at desc`)
    .map((r) => r.id)
}

/** An email reply as it is filed: the sender, the subject, the words without the quoted history, and its delivery key. */
export type InboundEmail = {
  from: string
  subject: string
  body: string
  /** What makes a delivery one: the webhook's id, or the email's Message-ID. */
  key: string
}

/** The client an email from `from` is filed under, and whether `key` was filed already; null when no card holds the address. */
export function emailReplyTarget(db: OrgDb, from: string, key: string): { orgClientId: string; seen: boolean } | null {
  const orgClientId = clientsWithEmail(db, from)[0]
  if (!orgClientId) return null
  const seen = db.get<{ n: number }>(sql`
    select count(*) as n from events where org_client_id = ${orgClientId} and type = 'message'
    and json_extract(data, '$.key') = ${key}`)
  return { orgClientId, seen: (seen?.n ?? 0) > 0 }
}

/**
 * Files an email reply on the client whose card holds the sender's address, as a reply like a
 * text's (`message` inbound, then `replied`); null when no card holds it. A key filed before (a
 * replayed webhook, a redelivered email) files nothing again: `duplicate`.
 */
export function recordInboundEmail(
  db: OrgDb,
  mail: InboundEmail,
  now = new Date(),
): { orgClientId: string; duplicate: boolean } | null {
  const target = emailReplyTarget(db, mail.from, mail.key)
  if (!target) return null
  if (target.seen) return { orgClientId: target.orgClientId, duplicate: true }
  const at = now.toISOString()
  recordEvent(
    db,
    'message',
    target.orgClientId,
    {
      channel: 'email',
      direction: 'inbound',
      from: mail.from,
      subject: mail.subject.slice(0, 300),
      body: mail.body.slice(0, 10_000),
      key: mail.key,
    },
    at,
  )
  recordEvent(db, 'replied', target.orgClientId, { channel: 'email', from: mail.from }, at)
  return { orgClientId: target.orgClientId, duplicate: false }
}
