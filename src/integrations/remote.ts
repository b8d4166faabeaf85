/**
 * The Worker's typed handles on the ORG object's CRM connections: `connectionsOf(org).getConnection(id)`
 * is one RPC call, `connectionsCall('getConnection', [id])`; `connectFlowOf(org)` connects and
 * disconnects.
 */
import type { ConnectFlow } from '../../durable-objects/org/integrations/connect-module'
import type { Connections } from '../../durable-objects/org/integrations/connections-module'
import type { OrgObject } from '../../durable-objects/org/org-object'
import { type Remote, remoteOf } from '../remote'

export function connectionsOf(org: DurableObjectStub<OrgObject>): Remote<Connections> {
  return remoteOf<Connections>((method, args) => org.connectionsCall(method, args))
}

export function connectFlowOf(org: DurableObjectStub<OrgObject>): Remote<ConnectFlow> {
  return remoteOf<ConnectFlow>((method, args) => org.connectFlowCall(method, args))
}
