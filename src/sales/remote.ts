/**
 * The Worker's typed handle on the ORG object's sales domain: `sales(org).leads.createLead(input)`
 * is one RPC call, `salesCall('leads', 'createLead', [input])`, typed from the area's own methods.
 */
import type { SalesArea, SalesAreas } from '../../durable-objects/org/sales/module'
import type { OrgObject } from '../../durable-objects/org/org-object'

type Method = (...args: never[]) => unknown

/** An area's public methods as the Worker sees them: same arguments, the answer awaited. */
export type Remote<T> = {
  [K in keyof T as T[K] extends Method ? K : never]: T[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never
}

export type RemoteSales = { [A in SalesArea]: Remote<SalesAreas[A]> }

/** The sales areas of one organization's object. */
export function sales(org: DurableObjectStub<OrgObject>): RemoteSales {
  const area = (name: SalesArea) =>
    new Proxy(
      {},
      {
        get: (_, method) =>
          typeof method === 'string' ? (...args: unknown[]) => org.salesCall(name, method, args) : undefined,
      },
    )
  return {
    leads: area('leads'),
    estimates: area('estimates'),
    accounts: area('accounts'),
    assistant: area('assistant'),
    calls: area('calls'),
  } as RemoteSales
}
