/** The ORG object's integrations: connections, webhook receipts and their processing, CRM pushes, the sync log. */
import { OrgCampaigns } from './campaigns'

export class OrgIntegrations extends OrgCampaigns {
}
