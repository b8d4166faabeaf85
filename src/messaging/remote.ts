/** The Worker's typed handles on parts of the ORG object reached through one RPC entry each (src/remote.ts). */
import type { Messaging } from '../../durable-objects/org/messaging/module'
import type { OrgObject } from '../../durable-objects/org/org-object'
import { type Remote, remoteOf } from '../remote'

/** `messagingOf(org).method(…)` is one RPC call, `messagingCall('method', […])`, typed from the Messaging module's own methods. */
export function messagingOf(org: DurableObjectStub<OrgObject>): Remote<Messaging> {
  return remoteOf<Messaging>((method, args) => org.messagingCall(method, args))
}
