/** Replies from clients: stored on the timeline; an ordinary reply raises `replied`. */
import type { Keyword } from '../../../src/messaging/keywords'
import { sql } from 'drizzle-orm'
import type { OrgDb } from '../db'
import { recordEvent } from '../events'

/**
 * The live clients whose card holds this phone: those with it as their primary first, then the
 * newest. A household's shared phone gives several.
 */
export function clientsWithPhone(db: OrgDb, phone: string): string[] {
  return db
    .all<{ id: string }>(sql`
    select c.id from org_clients c join contacts k on k.person_id = c.person_id
    where c.merged_into is null and exists (select 1 from json_each(k.phones) where value = ${phone})
    order by (k.primary_phone_e164 = ${phone}) desc, c.created_at desc`)
    .map((r) => r.id)
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
