/** Running due journey steps (filled in by the journeys engine). */
import type { OrgDb } from '../db'
import type { DispatchContext, DispatchResult } from '../dispatch'

/** Clients with a journey step due at `now`. */
export function dueEnrollmentClients(_db: OrgDb, _now: Date, _limit: number): string[] {
  return []
}

/** Runs every due step of active enrollments in active journeys. */
export function runDueSteps(_db: OrgDb, _ctx: DispatchContext, _result: DispatchResult, _limit: number): void {}

/** The earliest next step of an active enrollment in an active journey, or null. */
export function nextStepDueAt(_db: OrgDb): string | null {
  return null
}
