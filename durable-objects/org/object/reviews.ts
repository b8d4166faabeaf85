/** The ORG object's review funnel: review requests, ratings, private feedback, techs and QR codes. */
import { OrgJourneys } from './journeys'

export class OrgReviews extends OrgJourneys {
}
