/**
 * The Worker's typed handles on the ORG object's CRM connections: `connectionsOf(org).getConnection(id)`
 * is one RPC call, `connectionsCall('getConnection', [id])`; `connectFlowOf(org)` connects and
 * disconnects; `integrationsOf(org)` takes webhook receipts and the changes they carry.
 */
import type { ConnectFlow } from '../../durable-objects/org/integrations/connect-module'
import type { Connections } from '../../durable-objects/org/integrations/connections-module'
import type { Integrations } from '../../durable-objects/org/integrations/module'
import type { OrgObject } from '../../durable-objects/org/org-object'
import { type Remote, remoteOf } from '../remote'

export function connectionsOf(org: DurableObjectStub<OrgObject>): Remote<Connections> {
  return remoteOf<Connections>((method, args) => org.connectionsCall(method, args))
}

export function connectFlowOf(org: DurableObjectStub<OrgObject>): Remote<ConnectFlow> {
  return remoteOf<ConnectFlow>((method, args) => org.connectFlowCall(method, args))
}

/** `integrationsOf(org).method(…)` is one RPC call, `integrationsCall('method', […])`, typed from the Integrations module's own methods. */
export function integrationsOf(org: DurableObjectStub<OrgObject>): Remote<Integrations> {
  return remoteOf<Integrations>((method, args) => org.integrationsCall(method, args))
}
