/**
 * Journey definitions: a trigger, settings and ordered steps, kept per version so running
 * enrollments finish on the steps they started with.
 */
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm'
import { invalidInput, notFound, type Issue } from '../../../src/errors'
import type { OrgDb } from '../db'
import {
  enrollments,
  journeys,
  journeySteps,
  type BranchCondition,
  type BranchTarget,
  type JourneySettings,
  type JourneyStatus,
  type JourneyTrigger,
  type MessagePurpose,
  type TriggerSource,
} from '../schema'

export type StepInput =
  | { type: 'wait'; delay_minutes: number }
  | { type: 'sms'; body: string; purpose?: MessagePurpose }
  | { type: 'email'; subject: string; body: string; purpose?: MessagePurpose }
  | { type: 'review_request'; channel: 'sms' | 'email'; subject?: string; body?: string }
  | { type: 'branch'; condition: BranchCondition; on_true?: BranchTarget; on_false?: BranchTarget }

export type JourneyInput = {
  name: string
  trigger_event: JourneyTrigger
  trigger_source?: TriggerSource
  status?: JourneyStatus
  settings?: SettingsPatch
  steps: StepInput[]
}

/** Settings to change: a given key replaces the old value; `quiet_hours: null` goes back to the organization's. */
export type SettingsPatch = Omit<JourneySettings, 'quiet_hours'> & {
  quiet_hours?: JourneySettings['quiet_hours'] | null
}

export type JourneyPatch = Partial<JourneyInput>

export type EnrollmentCounts = {
  active: number
  completed: number
  stopped: number
  cancelled_crm_event: number
  failed: number
}

export type JourneySummary = {
  id: string
  name: string
  trigger_event: JourneyTrigger
  trigger_source: TriggerSource
  status: JourneyStatus
  settings: Required<Pick<JourneySettings, 'stop_on' | 'reentry'>> & JourneySettings
  version: number
  step_count: number
  counts: EnrollmentCounts
  created_at: string
  updated_at: string
}

export type Journey = JourneySummary & { steps: StepInput[] }

/** Re-entry when a journey does not say: not while active, and not within 180 days of the last start. */
export const DEFAULT_REENTRY = { mode: 'after_days', days: 180 } as const

/** The settings with their defaults filled in. */
export function effectiveSettings(s: JourneySettings): JourneySummary['settings'] {
  return { ...s, stop_on: s.stop_on ?? [], reentry: s.reentry ?? DEFAULT_REENTRY }
}

/**
 * Rules a schema cannot see: a branch only jumps forward to a step that exists, and an active
 * journey has at least one step.
 */
export function checkSteps(steps: StepInput[], status: JourneyStatus): void {
  const issues: Issue[] = []
  steps.forEach((step, i) => {
    if (step.type !== 'branch') return
    for (const key of ['on_true', 'on_false'] as const) {
      const target = step[key]
      if (typeof target === 'number' && (target <= i || target >= steps.length)) {
        issues.push({
          path: `steps.${i}.${key}`,
          message: `must be a later step (${i + 1} to ${steps.length - 1}), "continue" or "end"`,
        })
      }
    }
  })
  if (status === 'active' && steps.length === 0)
    issues.push({ path: 'steps', message: 'an active journey needs at least one step' })
  if (issues.length > 0) throw invalidInput(issues)
}

/** Creates a journey at version 1; returns its id. */
export function createJourney(db: OrgDb, input: JourneyInput, now = new Date()): string {
  const status = input.status ?? 'active'
  checkSteps(input.steps, status)
  const id = crypto.randomUUID()
  const at = now.toISOString()
  db.insert(journeys)
    .values({
      id,
      name: input.name,
      triggerEvent: input.trigger_event,
      triggerSource: input.trigger_source ?? 'any',
      status,
      settings: mergeSettings({}, input.settings ?? {}),
      version: 1,
      createdAt: at,
      updatedAt: at,
    })
    .run()
  insertSteps(db, id, 1, input.steps)
  return id
}

/**
 * Changes a journey. New steps make a new version for new enrollments; running ones keep theirs.
 * Settings are merged key by key.
 */
export function updateJourney(db: OrgDb, id: string, patch: JourneyPatch, now = new Date()): Journey {
  const row = db.select().from(journeys).where(eq(journeys.id, id)).get()
  if (!row) throw notFound('journey')
  const status = patch.status ?? row.status
  const steps = patch.steps ?? stepsOf(db, id, row.version)
  checkSteps(steps, status)
  const version = patch.steps ? row.version + 1 : row.version
  if (patch.steps) insertSteps(db, id, version, patch.steps)
  db.update(journeys)
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.trigger_event !== undefined ? { triggerEvent: patch.trigger_event } : {}),
      ...(patch.trigger_source !== undefined ? { triggerSource: patch.trigger_source } : {}),
      ...(patch.settings !== undefined ? { settings: mergeSettings(row.settings, patch.settings) } : {}),
      status,
      version,
      updatedAt: now.toISOString(),
    })
    .where(eq(journeys.id, id))
    .run()
  return getJourney(db, id)!
}

/** The settings after a change: keys left out (or undefined) keep their value, null clears one. */
export function mergeSettings(current: JourneySettings, patch: SettingsPatch): JourneySettings {
  const next: Record<string, unknown> = { ...current }
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key]
    else if (value !== undefined) next[key] = value
  }
  return next as JourneySettings
}

/** A journey with its current steps and enrollment counts, or null. */
export function getJourney(db: OrgDb, id: string): Journey | null {
  const row = db.select().from(journeys).where(eq(journeys.id, id)).get()
  if (!row) return null
  const steps = stepsOf(db, id, row.version)
  return { ...summaryOf(row, steps.length, countsOf(db, id)), steps }
}

/** Every journey, newest first, with its enrollment counts (archived enrollments left out). */
export function listJourneys(db: OrgDb): JourneySummary[] {
  const rows = db.select().from(journeys).orderBy(desc(journeys.createdAt)).all()
  const counts = db
    .select({ journeyId: enrollments.journeyId, status: enrollments.status, n: sql<number>`count(*)` })
    .from(enrollments)
    .where(isNull(enrollments.archivedAt))
    .groupBy(enrollments.journeyId, enrollments.status)
    .all()
  const stepCounts = db
    .select({ journeyId: journeySteps.journeyId, version: journeySteps.version, n: sql<number>`count(*)` })
    .from(journeySteps)
    .groupBy(journeySteps.journeyId, journeySteps.version)
    .all()
  return rows.map((row) => {
    const mine = counts.filter((c) => c.journeyId === row.id)
    const n = stepCounts.find((s) => s.journeyId === row.id && s.version === row.version)?.n ?? 0
    return summaryOf(row, n, tally(mine))
  })
}

/** The steps of one version of a journey, in order. */
export function stepsOf(db: OrgDb, journeyId: string, version: number): StepInput[] {
  return db
    .select()
    .from(journeySteps)
    .where(and(eq(journeySteps.journeyId, journeyId), eq(journeySteps.version, version)))
    .orderBy(asc(journeySteps.position))
    .all()
    .map(toStep)
}

function countsOf(db: OrgDb, journeyId: string): EnrollmentCounts {
  return tally(
    db
      .select({ status: enrollments.status, n: sql<number>`count(*)` })
      .from(enrollments)
      .where(and(eq(enrollments.journeyId, journeyId), isNull(enrollments.archivedAt)))
      .groupBy(enrollments.status)
      .all(),
  )
}

function tally(rows: Array<{ status: keyof EnrollmentCounts; n: number }>): EnrollmentCounts {
  const counts: EnrollmentCounts = { active: 0, completed: 0, stopped: 0, cancelled_crm_event: 0, failed: 0 }
  for (const r of rows) counts[r.status] = r.n
  return counts
}

function summaryOf(row: typeof journeys.$inferSelect, stepCount: number, counts: EnrollmentCounts): JourneySummary {
  return {
    id: row.id,
    name: row.name,
    trigger_event: row.triggerEvent,
    trigger_source: row.triggerSource,
    status: row.status,
    settings: effectiveSettings(row.settings),
    version: row.version,
    step_count: stepCount,
    counts,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  }
}

function insertSteps(db: OrgDb, journeyId: string, version: number, steps: StepInput[]): void {
  // Eleven columns a row: nine rows a statement stay under the 100-parameter limit.
  const rows = steps.map((s, position) => ({ journeyId, version, position, ...columnsOf(s) }))
  for (let i = 0; i < rows.length; i += 9)
    db.insert(journeySteps)
      .values(rows.slice(i, i + 9))
      .run()
}

type StepColumns = Omit<typeof journeySteps.$inferInsert, 'journeyId' | 'version' | 'position'>

function columnsOf(s: StepInput): StepColumns {
  switch (s.type) {
    case 'wait':
      return { type: 'wait', delayMinutes: s.delay_minutes }
    case 'sms':
      return { type: 'sms', channel: 'sms', body: s.body, purpose: s.purpose ?? null }
    case 'email':
      return { type: 'email', channel: 'email', subject: s.subject, body: s.body, purpose: s.purpose ?? null }
    case 'review_request':
      return {
        type: 'review_request',
        channel: s.channel,
        subject: s.subject ?? null,
        body: s.body ?? null,
        purpose: 'review',
      }
    case 'branch':
      return {
        type: 'branch',
        condition: s.condition,
        onTrue: s.on_true ?? 'continue',
        onFalse: s.on_false ?? 'continue',
      }
  }
}

function toStep(r: typeof journeySteps.$inferSelect): StepInput {
  const purpose = r.purpose ? { purpose: r.purpose } : {}
  switch (r.type) {
    case 'wait':
      return { type: 'wait', delay_minutes: r.delayMinutes ?? 0 }
    case 'sms':
      return { type: 'sms', body: r.body ?? '', ...purpose }
    case 'email':
      return { type: 'email', subject: r.subject ?? '', body: r.body ?? '', ...purpose }
    case 'review_request':
      return {
        type: 'review_request',
        channel: r.channel ?? 'sms',
        ...(r.subject ? { subject: r.subject } : {}),
        ...(r.body ? { body: r.body } : {}),
      }
    case 'branch':
      return {
        type: 'branch',
        condition: r.condition!,
        on_true: r.onTrue ?? 'continue',
        on_false: r.onFalse ?? 'continue',
      }
  }
}
