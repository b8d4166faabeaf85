/** The Worker's typed handles on parts of the ORG object reached through one RPC entry each (src/remote.ts). */
import type { Portal } from '../../durable-objects/org/portal/module'
import type { OrgObject } from '../../durable-objects/org/org-object'
import { type Remote, remoteOf } from '../remote'

/** `portalOf(org).method(…)` is one RPC call, `portalCall('method', […])`, typed from the Portal module's own methods. */
export function portalOf(org: DurableObjectStub<OrgObject>): Remote<Portal> {
  return remoteOf<Portal>((method, args) => org.portalCall(method, args))
}
