/** The ORG object's journeys: definitions, versions, enrollments and their steps. */
import { OrgMessaging } from './messaging'

export class OrgJourneys extends OrgMessaging {
}
