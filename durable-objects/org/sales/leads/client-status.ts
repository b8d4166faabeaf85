/** A client stops being a "lead" once it buys: booked work, an invoice paid in full, or its lead converted. */
import { eq } from 'drizzle-orm'
import type { ClientStatus } from '../../crm/statuses'
import type { OrgDb } from '../../db'
import { recordEvent } from '../../events'
import { orgClients } from '../../schema'

/** Makes the client `active` when its status is one of `from` (default: only `lead`), noting the change on its timeline. */
export function activateClient(db: OrgDb, orgClientId: string, at: string, from: ClientStatus[] = ['lead']): boolean {
  const current = db.select({ status: orgClients.status }).from(orgClients).where(eq(orgClients.id, orgClientId)).get()
  if (!current || !from.includes(current.status)) return false
  db.update(orgClients).set({ status: 'active', updatedAt: at }).where(eq(orgClients.id, orgClientId)).run()
  recordEvent(db, 'status_changed', orgClientId, { from: current.status, to: 'active' }, at)
  return true
}
