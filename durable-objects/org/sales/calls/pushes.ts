/**
 * Which CRMs a call goes to: each connected CRM holding the client's customer (push-targets.ts
 * finds them as for texts) whose connection has "sync calls" on. Only calls on a client are
 * pushed; a lead has no CRM customer.
 */
import { inArray } from 'drizzle-orm'
import { callNoteText } from '../../../../src/integrations/push-calls'
import type { OrgDb } from '../../db'
import { syncSettings } from '../../integrations/connection-settings'
import { type PushNote, pushTargets } from '../../integrations/push-targets'
import { connections } from '../../schema'
import type { Activity } from '../leads/activities'

/** The notes to queue for a call activity just logged (none for a lead's, or with "sync calls" off). */
export function callPushes(db: OrgDb, a: Activity): PushNote[] {
  if (a.type !== 'call' || !a.org_client_id) return []
  const targets = pushTargets(db, a.org_client_id)
  if (targets.length === 0) return []
  const settings = new Map(
    db
      .select({ id: connections.id, settings: connections.settings })
      .from(connections)
      .where(
        inArray(
          connections.id,
          targets.map((t) => t.connectionId),
        ),
      )
      .all()
      .map((c) => [c.id, syncSettings(c.settings)]),
  )
  return targets
    .filter((t) => settings.get(t.connectionId)?.sync_calls)
    .map((t) => ({
      type: 'crm_push',
      kind: 'call',
      connection_id: t.connectionId,
      provider: t.provider,
      org_client_id: a.org_client_id!,
      external_client_id: t.externalClientId,
      direction: a.direction ?? 'outbound',
      body: callNoteText(a),
      at: a.occurred_at,
      message_id: `call:${a.id}`,
    }))
}
