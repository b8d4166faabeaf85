/**
 * Portal access by proof: a homeowner account opens this business's records of a person only when
 * this business's own card of that person holds a phone or email the account proved by code.
 * What the registry links, or what another business wrote on its card, opens nothing here.
 */
import { findClient, getCard, pointsOf } from '../cards/cards'
import type { OrgDb } from '../db'

/** The client (merged cards followed) whose card holds one of the proven points; null otherwise. */
export function portalClientFor(
  db: OrgDb,
  personId: string,
  provenPoints: string[],
): { org_client_id: string; person_id: string } | null {
  if (provenPoints.length === 0) return null
  const client = findClient(db, { person_id: personId })
  const card = client ? getCard(db, client.person_id) : null
  if (!client || !card) return null
  const proven = new Set(provenPoints)
  return pointsOf(card).some((point) => proven.has(point)) ? client : null
}
