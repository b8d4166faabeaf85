/** Read models: a client's timeline, client stats, and the dashboard numbers. */
import type { ClientStatus } from './statuses'
import { and, asc, desc, eq, gte, inArray, lt, notInArray, sql } from 'drizzle-orm'
import { addDays, localDate, zonedTimeToUtc } from '../../../src/time'
import type { OrgDb } from '../db'
import { toInvoice, toPayment } from './invoices'
import { toJob, type Job } from './jobs'
import { openTasks, type TaskItem } from '../portal/tasks'
import { events, invoices, jobs, orgClients, payments, type FlatData } from '../schema'
import { salesTimeline } from '../sales/leads/timeline'

export type TimelineItem = { id: string; type: string; created_at: string; data: FlatData }

/** Events already shown through the row they created. */
const SHOWN_AS_ROWS = ['job_booked', 'invoice_created', 'payment_received', 'note_added']

/** Everything that happened with a client, newest first: jobs, invoices, payments, notes and events. */
export function clientTimeline(
  db: OrgDb,
  orgClientId: string,
  tz: string,
  now = new Date(),
  limit = 200,
): TimelineItem[] | null {
  const client = db.select({ notes: orgClients.notes }).from(orgClients).where(eq(orgClients.id, orgClientId)).get()
  if (!client) return null
  const today = localDate(now, tz)
  const items: TimelineItem[] = [
    ...db
      .select()
      .from(jobs)
      .where(eq(jobs.orgClientId, orgClientId))
      .orderBy(desc(jobs.createdAt))
      .limit(limit)
      .all()
      .map((j) => ({ id: j.id, type: 'job', created_at: j.createdAt, data: toJob(j) })),
    ...db
      .select()
      .from(invoices)
      .where(eq(invoices.orgClientId, orgClientId))
      .orderBy(desc(invoices.createdAt))
      .limit(limit)
      .all()
      .map((i) => ({ id: i.id, type: 'invoice', created_at: i.createdAt, data: toInvoice(i, today) })),
    ...db
      .select()
      .from(payments)
      .where(eq(payments.orgClientId, orgClientId))
      .orderBy(desc(payments.createdAt))
      .limit(limit)
      .all()
      .map((p) => ({ id: p.id, type: 'payment', created_at: p.createdAt, data: toPayment(p) })),
    ...client.notes.map((n, i) => ({
      id: `${orgClientId}:note:${i}`,
      type: 'note',
      created_at: n.at,
      data: { text: n.text, author: n.author },
    })),
    ...db
      .select()
      .from(events)
      .where(and(eq(events.orgClientId, orgClientId), notInArray(events.type, SHOWN_AS_ROWS)))
      .orderBy(desc(events.createdAt))
      .limit(limit)
      .all()
      .map((e) => ({ id: e.id, type: e.type, created_at: e.createdAt, data: e.data })),
    // Activities logged on the client, and the leads it came from with theirs.
    ...salesTimeline(db, orgClientId, limit),
  ]
  return items.sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0)).slice(0, limit)
}

export type ClientStats = {
  total_clients: number
  active_clients: number
  lead_clients: number
  inactive_clients: number
  total_ltv_cents: number
  avg_ltv_cents: number
}

/** client_stats: counts and lifetime value by status, read from a covering index. */
export function clientStats(db: OrgDb): ClientStats {
  // All clients from the covering (status, ltv) index, less the few merged into another card (partial index).
  const all = db.all<{ status: ClientStatus; n: number; ltv: number }>(sql`
    select status, count(*) as n, coalesce(sum(ltv_cents), 0) as ltv from org_clients group by status`)
  // No GROUP BY here: grouping would make the planner walk the status index over every client.
  const merged = db.all<{ status: string; ltv: number }>(sql`
    select status, ltv_cents as ltv from org_clients where merged_into is not null`)
  const rows = all.map((r) => {
    const gone = merged.filter((m) => m.status === r.status)
    return { status: r.status, n: r.n - gone.length, ltv: r.ltv - gone.reduce((sum, m) => sum + m.ltv, 0) }
  })
  const by = (status: string) => rows.find((r) => r.status === status)?.n ?? 0
  const total = rows.reduce((sum, r) => sum + r.n, 0)
  const ltv = rows.reduce((sum, r) => sum + r.ltv, 0)
  return {
    total_clients: total,
    active_clients: by('active'),
    lead_clients: by('lead'),
    inactive_clients: by('inactive'),
    total_ltv_cents: ltv,
    avg_ltv_cents: total ? Math.round(ltv / total) : 0,
  }
}

export type Dashboard = {
  stats: ClientStats
  today: string
  jobs_today: Job[]
  jobs_this_week: number
  open_invoices: { count: number; total_cents: number }
  overdue_invoices: { count: number; total_cents: number }
  /** Jobs per day for the next 7 days in the business's zone, for the chart. */
  week: Array<{ date: string; jobs: number; revenue_cents: number }>
  /** Requests from homeowners (another time for a visit) waiting for staff, newest first. */
  open_tasks: TaskItem[]
}

/** The numbers on the dashboard, computed in the business's time zone. */
export function dashboard(db: OrgDb, tz: string, now = new Date()): Dashboard {
  const today = localDate(now, tz)
  const days = Array.from({ length: 8 }, (_, i) => addDays(today, i))
  const bounds = days.map((d) => zonedTimeToUtc(d, '00:00', tz).toISOString())
  const live = inArray(jobs.status, ['scheduled', 'in_progress', 'blocked', 'completed'])
  const weekJobs = db
    .select()
    .from(jobs)
    .where(and(gte(jobs.startAt, bounds[0]!), lt(jobs.startAt, bounds[7]!), live))
    .orderBy(asc(jobs.startAt))
    .all()
  const week = days.slice(0, 7).map((date, i) => {
    const inDay = weekJobs.filter((j) => j.startAt >= bounds[i]! && j.startAt < bounds[i + 1]!)
    return { date, jobs: inDay.length, revenue_cents: inDay.reduce((s, j) => s + j.priceCents, 0) }
  })
  const sums = (overdue: boolean) =>
    db.get<{ count: number; total: number }>(sql`
    select count(*) as count, coalesce(sum(total_cents - paid_cents), 0) as total from invoices
    where status = 'open' ${overdue ? sql`and due_date < ${today}` : sql``}`)!
  const open = sums(false)
  const overdue = sums(true)
  return {
    stats: clientStats(db),
    today,
    jobs_today: weekJobs.filter((j) => j.startAt < bounds[1]!).map(toJob),
    jobs_this_week: weekJobs.length,
    open_invoices: { count: open.count, total_cents: open.total },
    overdue_invoices: { count: overdue.count, total_cents: overdue.total },
    week,
    open_tasks: openTasks(db, { limit: 10 }),
  }
}
