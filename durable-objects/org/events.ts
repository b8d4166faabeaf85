/** The append-only event log: what happened, to whom, with what data. Client events feed journeys. */
import type { OrgDb } from './db'
import { onEvent } from './journeys/triggers'
import { events, type FlatData } from './schema'

/** Appends one event, lets journeys react to it (enroll, stop) in the same transaction, and returns its id. */
export function recordEvent(
  db: OrgDb,
  type: string,
  orgClientId: string | null,
  data: FlatData,
  at = new Date().toISOString(),
): string {
  const id = crypto.randomUUID()
  db.insert(events).values({ id, type, orgClientId, data, createdAt: at }).run()
  if (orgClientId) onEvent(db, { id, type, orgClientId, data, at })
  return id
}
