/** The ORG object's journeys: definitions, versions, enrollments and the events that move them. */
import { notFound } from '../../../src/errors'
import type { OrgHost } from '../host'
import * as definitions from './definitions'
import { applyEdit, type StepEdit } from './edits'
import * as enrollments from './enrollments'
import * as raise from './raise'
import { starterFor } from './starters'
import type { Result } from '../result'
import type { EnrollmentStatus } from '../schema'

export type JourneysHost = Pick<OrgHost, 'db' | 'write'>

export class Journeys {
  constructor(private readonly host: JourneysHost) {}

  createJourney(input: definitions.JourneyInput): Promise<Result<{ journey_id: string }>> {
    return this.host.write(() => ({ journey_id: definitions.createJourney(this.host.db, input) }))
  }

  /** A draft copy of a starter template. */
  createJourneyFromStarter(key: string): Promise<Result<{ journey_id: string }>> {
    return this.host.write(() => {
      const starter = starterFor(key)
      if (!starter) throw notFound('starter')
      return { journey_id: definitions.createJourney(this.host.db, { ...starter.journey, status: 'draft' }) }
    })
  }

  /** Resuming a journey can make held steps due at once; the write keeps the due index in step. */
  updateJourney(id: string, patch: definitions.JourneyPatch): Promise<Result<definitions.Journey>> {
    return this.host.write(() => definitions.updateJourney(this.host.db, id, patch))
  }

  /** One builder edit to the steps, read and written in one transaction; a new version for new enrollments. */
  editJourneySteps(id: string, edit: StepEdit): Promise<Result<definitions.Journey>> {
    return this.host.write(() => {
      const journey = definitions.getJourney(this.host.db, id)
      if (!journey) throw notFound('journey')
      return definitions.updateJourney(this.host.db, id, { steps: applyEdit(journey.steps, edit) })
    })
  }

  getJourney(id: string): definitions.Journey | null {
    return definitions.getJourney(this.host.db, id)
  }

  listJourneys(): definitions.JourneySummary[] {
    return definitions.listJourneys(this.host.db)
  }

  listEnrollments(query: enrollments.EnrollmentsQuery): enrollments.EnrollmentRow[] {
    return enrollments.listEnrollments(this.host.db, query)
  }

  journeyEnrollments(
    journeyId: string,
    query: { status?: EnrollmentStatus; limit: number },
  ): enrollments.EnrollmentDetail[] {
    return enrollments.enrollmentDetails(this.host.db, journeyId, query)
  }

  /** An event from the API: enrolls and stops like any client event; the new enrollments come back. */
  raiseEvent(input: raise.RaiseInput): Promise<Result<raise.Raised>> {
    return this.host.write(() => raise.raiseEvent(this.host.db, input))
  }
}
