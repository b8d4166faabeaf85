/** The Worker's typed handle on the ORG object's journeys: `journeysOf(org).listJourneys()` is one RPC call, `journeysCall('listJourneys', [])`. */
import type { Journeys } from '../../durable-objects/org/journeys/module'
import type { OrgObject } from '../../durable-objects/org/org-object'
import { type Remote, remoteOf } from '../remote'

export function journeysOf(org: DurableObjectStub<OrgObject>): Remote<Journeys> {
  return remoteOf<Journeys>((method, args) => org.journeysCall(method, args))
}
