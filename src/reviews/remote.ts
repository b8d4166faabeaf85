/** The Worker's typed handle on the ORG object's review funnel: `reviews(org).listTechs()` is one RPC call, `reviewsCall('listTechs', [])`. */
import type { OrgObject } from '../../durable-objects/org/org-object'
import type { Reviews } from '../../durable-objects/org/reviews/module'
import { type Remote, remoteOf } from '../remote'

export function reviews(org: DurableObjectStub<OrgObject>): Remote<Reviews> {
  return remoteOf<Reviews>((method, args) => org.reviewsCall(method, args))
}
