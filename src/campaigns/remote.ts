/**
 * The Worker's typed handle on the ORG object's campaigns: `campaignsOf(org).listCampaigns()` is one
 * RPC call, `campaignsCall('listCampaigns', [])`. Sending stays `org.sendCampaign`, which also runs
 * the due work.
 */
import type { Campaigns } from '../../durable-objects/org/campaigns/module'
import type { OrgObject } from '../../durable-objects/org/org-object'
import { type Remote, remoteOf } from '../remote'

export function campaignsOf(org: DurableObjectStub<OrgObject>): Omit<Remote<Campaigns>, 'schedule'> {
  return remoteOf<Campaigns>((method, args) => org.campaignsCall(method, args))
}
