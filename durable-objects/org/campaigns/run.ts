/** Sending due campaigns in batches (filled in by the campaigns module). */
import type { OrgDb } from '../db'
import type { DispatchContext, DispatchResult } from '../dispatch'

/** Clients in the next batch of every campaign that is sending. */
export function dueCampaignClients(_db: OrgDb, _now: Date): string[] {
  return []
}

/** Decides the next batch of each sending (or due scheduled) campaign. */
export function runDueCampaigns(_db: OrgDb, _ctx: DispatchContext, _result: DispatchResult): void {}

/** When the next campaign batch is due, or null. */
export function nextCampaignDueAt(_db: OrgDb): string | null {
  return null
}
