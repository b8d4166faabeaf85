/** The ORG object's journeys: definitions, versions, enrollments and their steps. */
import * as definitions from '../journeys/definitions'
import { applyEdit, type StepEdit } from '../journeys/edits'
import * as enrollments from '../journeys/enrollments'
import * as raise from '../journeys/raise'
import { starterFor } from '../journeys/starters'
import { notFound } from '../../../src/errors'
import type { Result } from '../result'
import type { EnrollmentStatus } from '../schema'
import { OrgMessaging } from './messaging'

export class OrgJourneys extends OrgMessaging {
  // Journeys

  async createJourney(input: definitions.JourneyInput): Promise<Result<{ journey_id: string }>> {
    return this.write(() => ({ journey_id: definitions.createJourney(this.db, input) }))
  }

  /** A draft copy of a starter template. */
  async createJourneyFromStarter(key: string): Promise<Result<{ journey_id: string }>> {
    return this.write(() => {
      const starter = starterFor(key)
      if (!starter) throw notFound('starter')
      return { journey_id: definitions.createJourney(this.db, { ...starter.journey, status: 'draft' }) }
    })
  }

  /** Resuming a journey can make held steps due at once, so the due index follows. */
  async updateJourney(id: string, patch: definitions.JourneyPatch): Promise<Result<definitions.Journey>> {
    return this.change(() => definitions.updateJourney(this.db, id, patch))
  }

  /** One builder edit to the steps, read and written in one transaction; a new version for new enrollments. */
  async editJourneySteps(id: string, edit: StepEdit): Promise<Result<definitions.Journey>> {
    return this.change(() => {
      const journey = definitions.getJourney(this.db, id)
      if (!journey) throw notFound('journey')
      return definitions.updateJourney(this.db, id, { steps: applyEdit(journey.steps, edit) })
    })
  }

  async getJourney(id: string): Promise<definitions.Journey | null> {
    return definitions.getJourney(this.db, id)
  }

  async listJourneys(): Promise<definitions.JourneySummary[]> {
    return definitions.listJourneys(this.db)
  }

  // Enrollments and events

  async listEnrollments(query: enrollments.EnrollmentsQuery): Promise<enrollments.EnrollmentRow[]> {
    return enrollments.listEnrollments(this.db, query)
  }

  async journeyEnrollments(journeyId: string, query: { status?: EnrollmentStatus; limit: number }): Promise<enrollments.EnrollmentDetail[]> {
    return enrollments.enrollmentDetails(this.db, journeyId, query)
  }

  /** An event from the API: enrolls and stops like any client event; the new enrollments come back. */
  async raiseEvent(input: raise.RaiseInput): Promise<Result<raise.Raised>> {
    return this.change(() => raise.raiseEvent(this.db, input))
  }
}
