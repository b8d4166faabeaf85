/** What the job page's routes share: loading a job with all its page shows, and answering with its panel or page. */
import type { Context } from 'hono'
import { undoUntil } from '../../../../durable-objects/org/crm/completion'
import type { JobWithCrew } from '../../../../durable-objects/org/crm/jobs'
import { type LineItem, subtotalOf } from '../../../../durable-objects/org/crm/line-items'
import type { Service } from '../../../../durable-objects/org/crm/services'
import { clock } from '../../../clock'
import { peopleDb } from '../../../db'
import type { AppEnv } from '../../../env'
import { notFound } from '../../../errors'
import { onMyWayKey, onMyWayOffered } from '../../../jobs/on-my-way'
import { listTeam } from '../../../team'
import type { FormErrors } from '../../../../views/fields'
import { dollarsInput } from '../../../../views/format'
import { JobPage, JobPanel, type JobDetail, type JobSaid } from '../../../../views/jobs'
import type { CrewMember } from '../../../../views/jobs/crew'
import type { LineRow, LinesProps } from '../../../../views/jobs/lines'
import { fragment } from '../../../../views/layout'
import { sales } from '../../../sales/remote'
import { isHtmx, parseDollars } from '../forms'
import { jobItems } from '../lookups'
import { portalOf } from '../../../portal/remote'

export const page = (title: string) => ({ title, active: 'schedule' as const, styles: ['/jobs.css'] })

/** What a redirect back to the job page (`?done=`) says: fixed words, never text from the link. */
export const DONE = {
  saved: 'Changes saved.',
  lines: 'Lines saved.',
  undone: 'Completing was undone: the job is scheduled again.',
} as const

/** The business's team as the forms offer it. */
export async function teamOf(c: Context<AppEnv>): Promise<CrewMember[]> {
  return listTeam(peopleDb(c.env.PEOPLE), c.get('organization').id)
}

/** A job with its client's name, properties, services, crew and series, or a 404 for an id this organization does not hold. */
export async function jobDetail(c: Context<AppEnv>, job: JobWithCrew | null): Promise<JobDetail> {
  if (!job) throw notFound('job')
  const org = c.get('org')
  const open = job.status !== 'completed' && job.status !== 'cancelled'
  const [client, services, tasks, team, series, crmPending, sent] = await Promise.all([
    org.getClient(job.org_client_id),
    org.listServices({ include_archived: true }),
    portalOf(org).openTasks({ jobId: job.id, limit: 10 }),
    teamOf(c),
    seriesOf(c, job),
    org.pendingCrmBooking(job.id),
    open ? portalOf(org).sentMessage(onMyWayKey(job)) : null,
  ])
  const [item] = await jobItems(c, [job], services)
  const until = undoUntil(job)
  // Work at a commercial account's site is at the site's address.
  const site = job.site_id ? await sales(org).accounts.siteOfJob(job.site_id) : null
  return {
    ...item!,
    job,
    address: site ?? client?.addresses.find((a) => a.id === job.address_id) ?? null,
    addresses: client?.addresses ?? [],
    // Archived services stay off the pickers, except the one this job already has.
    services: services.filter((s) => s.active || s.id === job.service_id),
    team,
    tasks,
    undoUntil: until && Date.parse(until) > clock.now().getTime() ? until : null,
    series,
    crmPending,
    // Once sent it says when, for as long as the visit is open; before that, only near the visit.
    onMyWay: sent || onMyWayOffered(job, clock.now(), c.get('organization').timezone) ? { sent } : null,
  }
}

/** "Every 2 weeks on Tuesday at 9:00 AM" and the visit's place in its series (counting from the first). */
async function seriesOf(c: Context<AppEnv>, job: JobWithCrew): Promise<JobDetail['series']> {
  if (!job.series_id) return null
  const org = c.get('org')
  const series = await org.getSeries(job.series_id)
  if (!series) return null
  const before = await org.listJobs({
    series_id: job.series_id,
    to: new Date(Date.parse(job.start_at) + 1).toISOString(),
    limit: 1000,
  })
  return { summary: series.summary, visit: before.length }
}

/** A saved line as an editor row. */
export const toRow = (l: LineItem): LineRow => ({
  description: l.description,
  quantity: String(l.quantity),
  price: dollarsInput(l.unit_price_cents),
  service_id: l.service_id ?? '',
  taxable: l.taxable,
})

/** A row's quantity (empty is 1) and unit price in cents, or null when either cannot be read. */
function rowValue(r: LineRow): { quantity: number; unit_price_cents: number } | null {
  const quantity = Number(r.quantity.trim() || '1')
  const price = parseDollars(r.price)
  return Number.isFinite(quantity) && quantity > 0 && price !== null ? { quantity, unit_price_cents: price } : null
}

/** What the line-items card shows beyond the saved lines: rows as typed (not saved yet), errors, a notice. */
export type LinesState = { rows?: LineRow[] | undefined; errors?: FormErrors; notice?: string }

/**
 * The line-items card: the rows as typed (else the saved lines), the subtotal of what is shown, and
 * "Create invoice" filled in with the saved lines' subtotal (else the booked price).
 */
export async function linesCard(
  c: Context<AppEnv>,
  job: JobWithCrew,
  services: Service[],
  state: LinesState = {},
): Promise<LinesProps> {
  const saved = await c.get('org').jobLineItems(job.id)
  if (!saved) throw notFound('job')
  const typed = state.rows
  const rows = typed ?? saved.items.map(toRow)
  const values = rows.map(rowValue)
  const amounts = values.map((v) => (v ? subtotalOf([v]) : null))
  const total = saved.items.length > 0 ? saved.subtotal_cents : job.price_cents
  return {
    jobId: job.id,
    rows,
    amounts,
    subtotalCents: typed ? subtotalOf(values.filter((v) => v !== null)) : saved.subtotal_cents,
    unsaved: typed !== undefined,
    locked: job.status === 'cancelled',
    services,
    addServiceId: job.service_id,
    errors: state.errors ?? {},
    notice: state.notice,
    invoiceHref:
      job.status === 'cancelled'
        ? undefined
        : `/app/invoices/new?client=${job.org_client_id}&job=${job.id}&amount=${dollarsInput(total)}`,
  }
}

/** The job's panel for htmx, else its whole page, with what the action says and `status`. */
export async function jobAnswer(
  c: Context<AppEnv>,
  item: JobDetail,
  said: JobSaid,
  status: 200 | 400 | 409 | 422 = 200,
) {
  c.status(status)
  if (isHtmx(c)) return fragment(c, <JobPanel item={item} {...said} />)
  const lines = await linesCard(c, item.job, item.services)
  return c.render(<JobPage item={item} lines={lines} {...said} />, page('Job'))
}
