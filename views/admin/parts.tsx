/** Small pieces the console's pages share: engagement badges, "3 days ago", dates. */
import type { Engagement } from '../../src/people/platform-schema'
import { longDate } from '../format'

export const ENGAGEMENT_NAMES: Record<Engagement, string> = {
  active: 'Active',
  at_risk: 'At risk',
  dormant: 'Dormant',
}

const BADGES: Record<Engagement, string> = { active: 'badge-active', at_risk: 'badge-lead', dormant: 'badge-inactive' }

/** The engagement as a coloured badge; "Not computed yet" before the metrics job has seen the business. */
export function EngagementBadge({ engagement }: { engagement: Engagement | null }) {
  if (!engagement) return <span class="muted small">Not computed yet</span>
  return <span class={`badge ${BADGES[engagement]}`}>{ENGAGEMENT_NAMES[engagement]}</span>
}

/** "today", "yesterday", "12 days ago", or "never". */
export function ago(instant: string | null, now: Date): string {
  if (!instant) return 'never'
  const days = Math.floor((now.getTime() - Date.parse(instant)) / 86_400_000)
  if (days <= 0) return 'today'
  if (days === 1) return 'yesterday'
  return `${days} days ago`
}

/** "Jan 5, 2026" from an instant (UTC). */
export const day = (instant: string) => longDate(instant.slice(0, 10))
