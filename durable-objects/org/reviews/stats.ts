/** How the business is rated: by tech and by month, for the feedback inbox. */
import { and, gte, isNotNull, sql } from 'drizzle-orm'
import { addDays, localDate } from '../../../src/time'
import type { OrgDb } from '../db'
import { reviewRequests, techs } from '../schema'

export type TechRatings = {
  tech_id: string | null
  tech_name: string | null
  ratings: number
  average: number
  low: number
}
export type MonthRatings = { month: string; ratings: number; average: number | null }
export type RatingsSummary = { by_tech: TechRatings[]; by_month: MonthRatings[] }

/** Ratings per tech (requests without one grouped as null) and per month in the business's zone, the last `months` months. */
export function ratingsSummary(db: OrgDb, tz: string, now = new Date(), months = 6): RatingsSummary {
  const by_tech = db.all<TechRatings>(sql`
    select r.tech_id, t.name as tech_name, count(*) as ratings, avg(r.rating) as average, sum(r.rating <= 3) as low
    from ${reviewRequests} r left join ${techs} t on t.id = r.tech_id
    where r.rating is not null group by r.tech_id order by ratings desc`)
  const monthKeys = lastMonths(localDate(now, tz), months)
  // A day's margin: the month is decided below in the business's zone.
  const since = addDays(`${monthKeys[0]}-01`, -1)
  const rated = db
    .select({ at: reviewRequests.ratedAt, rating: reviewRequests.rating })
    .from(reviewRequests)
    .where(and(isNotNull(reviewRequests.rating), gte(reviewRequests.ratedAt, since)))
    .all()
  const by_month = monthKeys.map((month) => {
    const inMonth = rated.filter((r) => localDate(new Date(r.at!), tz).startsWith(month))
    const sum = inMonth.reduce((s, r) => s + r.rating!, 0)
    return { month, ratings: inMonth.length, average: inMonth.length ? sum / inMonth.length : null }
  })
  return { by_tech, by_month }
}

/** "2026-01" keys of the `n` months ending with the one `today` is in, oldest first. */
function lastMonths(today: string, n: number): string[] {
  const [y, m] = today.split('-').map(Number) as [number, number]
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - (n - 1 - i), 1))
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`
  })
}
