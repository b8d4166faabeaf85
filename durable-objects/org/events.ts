/** The append-only event log: what happened, to whom, with what data. */
import type { OrgDb } from './db'
import { events, type FlatData } from './schema'

/** Appends one event and returns its id. */
export function recordEvent(db: OrgDb, type: string, orgClientId: string | null, data: FlatData, at = new Date().toISOString()): string {
  const id = crypto.randomUUID()
  db.insert(events).values({ id, type, orgClientId, data, createdAt: at }).run()
  return id
}
