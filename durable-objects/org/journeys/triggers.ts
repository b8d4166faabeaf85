/** Events into journeys: enroll on a matching trigger, stop on a stop condition (filled in by the journeys engine). */
import type { OrgDb } from '../db'
import type { FlatData } from '../schema'

export type RaisedEvent = { id: string; type: string; orgClientId: string; data: FlatData; at: string }

/** Called for every event recorded against a client, inside the same transaction. */
export function onEvent(_db: OrgDb, _event: RaisedEvent): void {}
