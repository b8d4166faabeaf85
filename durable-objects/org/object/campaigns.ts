/** The ORG object's campaigns: segments, previews, throttled sends, cancelling. */
import { OrgReviews } from './reviews'

export class OrgCampaigns extends OrgReviews {
}
