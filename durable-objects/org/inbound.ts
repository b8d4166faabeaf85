/** Replies from clients: stored on the timeline; an ordinary reply raises `replied`. */
import type { Keyword } from '../../src/messaging/keywords'
import { clientIdForPerson } from './clients'
import type { OrgDb } from './db'
import { recordEvent } from './events'

/** Records an inbound SMS from a person; returns the client it was filed under, if any. */
export function recordInboundSms(db: OrgDb, personId: string, from: string, body: string, keyword: Keyword | null, now = new Date()): string | null {
  const orgClientId = clientIdForPerson(db, personId)
  if (!orgClientId) return null
  const at = now.toISOString()
  recordEvent(db, 'message', orgClientId, { channel: 'sms', direction: 'inbound', from, body: body.slice(0, 1600), keyword }, at)
  if (keyword === 'opt_out') recordEvent(db, 'sms_opt_out', orgClientId, { from }, at)
  else if (keyword === 'opt_in') recordEvent(db, 'sms_opt_in', orgClientId, { from }, at)
  else if (keyword === null) recordEvent(db, 'replied', orgClientId, { channel: 'sms', from }, at)
  return orgClientId
}
