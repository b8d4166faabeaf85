/** The ORG object's inbound integrations: webhook receipts and applying CRM changes to clients, jobs and invoices. */
import { OrgConnections } from './connections'

export class OrgIntegrations extends OrgConnections {
}
