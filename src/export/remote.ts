/** The Worker's typed handle on the ORG object's export module: `port(org).page(…)` is one RPC call, `dataPort('page', […])`. */
import type { DataPort, PortMethod } from '../../durable-objects/org/export/module'
import type { OrgObject } from '../../durable-objects/org/org-object'

export type RemotePort = {
  [M in PortMethod]: (...args: Parameters<DataPort[M]>) => Promise<Awaited<ReturnType<DataPort[M]>>>
}

/** The export module of one organization's object. */
export function port(org: DurableObjectStub<OrgObject>): RemotePort {
  const call =
    (method: PortMethod) =>
    (...args: unknown[]) =>
      org.dataPort(method, args)
  return { page: call('page'), occupancy: call('occupancy'), restore: call('restore') } as RemotePort
}
