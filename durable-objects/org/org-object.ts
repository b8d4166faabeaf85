/**
 * The ORG Durable Object: one per organization, the only reader and writer of its private data.
 * Its RPC methods are layered by domain, each layer in `object/`: base (storage, profile, due
 * work) → crm → cards → merges → messaging → journeys → reviews → campaigns → connections → integrations → portal. Each method is one use case; writes
 * run in one storage transaction and expected failures come back as a `Result`.
 */
import { OrgPortal } from './object/portal'

export type { OrgProfile } from './object/base'

export class OrgObject extends OrgPortal {}
