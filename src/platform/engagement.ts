/**
 * How engaged a business is, from its last sign-in and its last 30 days of work (README,
 * "The operator console"):
 * - **active**: someone on its team signed in within the last 7 days, and it had a job or a
 *   message in the last 30 days;
 * - **dormant**: nobody signed in for 30 days or more (or ever), and it had no job and no message
 *   in the last 30 days;
 * - **at_risk**: everything in between (signed in lately but doing nothing, working without
 *   anyone signing in for a week or more, a new business not yet started).
 */
import type { Engagement } from '../people/platform-schema'

const DAY_MS = 86_400_000
export const ACTIVE_SIGN_IN_DAYS = 7
export const DORMANT_SIGN_IN_DAYS = 30

export type EngagementFacts = { lastSignInAt: string | null; jobs30d: number; messages30d: number }

/** The engagement of a business at `now` by the rule above. */
export function engagementOf(facts: EngagementFacts, now: Date): Engagement {
  const worked = facts.jobs30d > 0 || facts.messages30d > 0
  const since = facts.lastSignInAt ? now.getTime() - Date.parse(facts.lastSignInAt) : Number.POSITIVE_INFINITY
  if (since < ACTIVE_SIGN_IN_DAYS * DAY_MS && worked) return 'active'
  if (since >= DORMANT_SIGN_IN_DAYS * DAY_MS && !worked) return 'dormant'
  return 'at_risk'
}
