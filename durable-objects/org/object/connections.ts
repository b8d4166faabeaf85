/** The ORG object's connections to CRMs and accounting: OAuth tokens, status, the sync log, pushes to the CRM. */
import { OrgCampaigns } from './campaigns'

export class OrgConnections extends OrgCampaigns {
  /** A usable access token for the connection, refreshed first when it is about to expire; null when there is none. */
  async accessToken(_connectionId: string): Promise<string | null> {
    return null
  }
}
