/**
 * What a business has paid HomeBase and is worth to it (README, "The operator console"):
 * - **total spent**: from the first moment its subscription history shows a monthly price above
 *   zero, one charge every 30 days up to now, each of the MRR in effect at that moment (the latest
 *   history row at or before it); a canceled or free stretch charges 0;
 * - **LTV**: total spent plus its MRR for the months a paying business is expected to stay, one
 *   over the platform's monthly churn (churned in 30 days / (paying now + churned)), at most 36.
 */

const DAY_MS = 86_400_000
export const BILLING_PERIOD_MS = 30 * DAY_MS
export const MAX_EXPECTED_MONTHS = 36

export type HistoryPoint = { mrrCents: number; at: string }

/** Total spent by the rule above, from a business's subscription history in any order. */
export function totalSpentCents(history: HistoryPoint[], now: Date): number {
  const rows = history
    .map((r) => ({ mrr: r.mrrCents, at: Date.parse(r.at) }))
    .filter((r) => r.at <= now.getTime())
    .sort((a, b) => a.at - b.at)
  let i = rows.findIndex((r) => r.mrr > 0)
  if (i < 0) return 0
  let total = 0
  for (let t = rows[i]!.at; t <= now.getTime(); t += BILLING_PERIOD_MS) {
    while (i + 1 < rows.length && rows[i + 1]!.at <= t) i++
    total += rows[i]!.mrr
  }
  return total
}

/** Months a paying business is expected to stay: 1 / monthly churn, capped; the cap when nobody churned. */
export function expectedMonths(paying: number, churned30d: number): number {
  if (churned30d <= 0) return MAX_EXPECTED_MONTHS
  return Math.min(MAX_EXPECTED_MONTHS, (paying + churned30d) / churned30d)
}

/** Lifetime value: what it paid plus its MRR over the expected months still to come. */
export function lifetimeValueCents(totalSpent: number, mrrCents: number, months: number): number {
  return totalSpent + Math.round(mrrCents * months)
}
