/** The Worker's typed handles on parts of the ORG object reached through one RPC entry each (src/remote.ts). */
import type { Merges } from '../../durable-objects/org/merges/module'
import type { Cards } from '../../durable-objects/org/cards/module'
import type { OrgObject } from '../../durable-objects/org/org-object'
import { type Remote, remoteOf } from '../remote'

/** `mergesOf(org).method(…)` is one RPC call, `mergesCall('method', […])`, typed from the Merges module's own methods. */
export function mergesOf(org: DurableObjectStub<OrgObject>): Remote<Merges> {
  return remoteOf<Merges>((method, args) => org.mergesCall(method, args))
}

/** `cardsOf(org).method(…)` is one RPC call, `cardsCall('method', […])`, typed from the Cards module's own methods. */
export function cardsOf(org: DurableObjectStub<OrgObject>): Remote<Cards> {
  return remoteOf<Cards>((method, args) => org.cardsCall(method, args))
}
