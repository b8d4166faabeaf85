/**
 * The Worker's typed handle on the ORG object's sales domain: `sales(org).leads.createLead(input)`
 * is one RPC call, `salesCall('leads', 'createLead', [input])`, typed from the area's own methods.
 */
import type { SalesArea, SalesAreas } from '../../durable-objects/org/sales/module'
import type { OrgObject } from '../../durable-objects/org/org-object'
import { type Remote, remoteOf } from '../remote'

export type RemoteSales = { [A in SalesArea]: Remote<SalesAreas[A]> }

/** The sales areas of one organization's object. */
export function sales(org: DurableObjectStub<OrgObject>): RemoteSales {
  const area = <A extends SalesArea>(name: A) =>
    remoteOf<SalesAreas[A]>((method, args) => org.salesCall(name, method, args))
  return {
    leads: area('leads'),
    estimates: area('estimates'),
    accounts: area('accounts'),
    assistant: area('assistant'),
    calls: area('calls'),
  }
}
