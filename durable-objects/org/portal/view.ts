/**
 * What the homeowner portal shows of one client: jobs and invoices with public fields only.
 * Notes, tags, prices, pricing tiers, custom fields and sources never leave through here.
 */
import { and, asc, desc, eq, inArray } from 'drizzle-orm'
import { zoneOfAddress } from '../../../src/messaging/recipient-zone'
import { localDate } from '../../../src/time'
import type { OrgDb } from '../db'
import { addresses, contacts, invoices, jobs, orgClients, profile, services, tasks, type JobStatus } from '../schema'

export type PortalJob = {
  id: string
  service: string | null
  start_at: string
  end_at: string | null
  /** The homeowner's clock: the zone of the job's property, else the business's. */
  time_zone: string
  status: JobStatus
  address: string | null
  confirmed_at: string | null
  can_confirm: boolean
  can_reschedule: boolean
  /** A reschedule request is waiting for the business. */
  reschedule_requested: boolean
  can_rate: boolean
}

export type PortalInvoice = {
  id: string
  number: number
  total_cents: number
  balance_cents: number
  status: 'open' | 'paid'
  overdue: boolean
  due_date: string
  paid_at: string | null
}

export type PortalBusiness = {
  organization_id: string
  name: string
  phone: string | null
  time_zone: string
  payment_instructions: string | null
}

export type PortalView = {
  business: PortalBusiness
  org_client_id: string
  first_name: string | null
  upcoming: PortalJob[]
  past: PortalJob[]
  invoices: PortalInvoice[]
}

/** The contact on file of a client: where codes and fresh links may go, and nowhere else. */
export type PortalContact = {
  org_client_id: string
  person_id: string
  first_name: string | null
  phone: string | null
  email: string | null
}

/** Open jobs this long past their start still count as upcoming (the visit may be under way). */
const UNDER_WAY_MS = 12 * 3_600_000
const OPEN: JobStatus[] = ['scheduled', 'in_progress', 'blocked']

/** The business as the portal names it; null before the organization's profile exists. */
export function portalBusiness(db: OrgDb): PortalBusiness | null {
  const p = db.select().from(profile).where(eq(profile.id, 1)).get()
  return p
    ? {
        organization_id: p.organizationId,
        name: p.name,
        phone: p.phone,
        time_zone: p.timezone,
        payment_instructions: p.paymentInstructions,
      }
    : null
}

/** A client's person and primary phone and email as this business has them; null for an unknown client. */
export function portalContact(db: OrgDb, orgClientId: string): PortalContact | null {
  const row = db
    .select({
      personId: orgClients.personId,
      first: contacts.firstName,
      phone: contacts.primaryPhoneE164,
      email: contacts.primaryEmail,
    })
    .from(orgClients)
    .innerJoin(contacts, eq(contacts.personId, orgClients.personId))
    .where(eq(orgClients.id, orgClientId))
    .get()
  return row
    ? { org_client_id: orgClientId, person_id: row.personId, first_name: row.first, phone: row.phone, email: row.email }
    : null
}

/** One client's portal: upcoming jobs (soonest first), past jobs and invoices (newest first); null for an unknown client. */
export function portalView(db: OrgDb, orgClientId: string, now = new Date()): PortalView | null {
  const business = portalBusiness(db)
  const client = db
    .select({ id: orgClients.id, firstName: contacts.firstName })
    .from(orgClients)
    .innerJoin(contacts, eq(contacts.personId, orgClients.personId))
    .where(eq(orgClients.id, orgClientId))
    .get()
  if (!business || !client) return null
  const rows = db
    .select({ job: jobs, service: services.name, address: addresses })
    .from(jobs)
    .leftJoin(services, eq(services.id, jobs.serviceId))
    .leftJoin(addresses, eq(addresses.id, jobs.addressId))
    .where(eq(jobs.orgClientId, orgClientId))
    .orderBy(asc(jobs.startAt))
    .limit(500)
    .all()
  const asked = new Set(
    db
      .select({ jobId: tasks.jobId })
      .from(tasks)
      .where(and(eq(tasks.orgClientId, orgClientId), eq(tasks.type, 'reschedule_request'), eq(tasks.status, 'open')))
      .all()
      .map((t) => t.jobId),
  )
  const items = rows.map(({ job, service, address }) => {
    const future = Date.parse(job.startAt) > now.getTime()
    const scheduled = job.status === 'scheduled' && future
    return {
      id: job.id,
      service,
      start_at: job.startAt,
      end_at: job.endAt,
      status: job.status,
      time_zone: zoneOfAddress(address) ?? business.time_zone,
      address: address
        ? [address.address1, address.address2, `${address.city}, ${address.state} ${address.postal}`]
            .filter(Boolean)
            .join(', ')
        : null,
      confirmed_at: job.confirmedAt,
      can_confirm: scheduled && !job.confirmedAt,
      can_reschedule: scheduled && !asked.has(job.id),
      reschedule_requested: asked.has(job.id),
      can_rate: job.status === 'completed',
    } satisfies PortalJob
  })
  const upcoming = items.filter((j) => OPEN.includes(j.status) && Date.parse(j.start_at) > now.getTime() - UNDER_WAY_MS)
  const past = items
    .filter((j) => !upcoming.includes(j))
    .reverse()
    .slice(0, 50)
  return {
    business,
    org_client_id: client.id,
    first_name: client.firstName,
    upcoming,
    past,
    invoices: portalInvoices(db, orgClientId, now, business.time_zone),
  }
}

/** Sent invoices (open or paid; drafts and voided ones are the business's own business), newest first. */
export function portalInvoices(db: OrgDb, orgClientId: string, now: Date, tz: string): PortalInvoice[] {
  const today = localDate(now, tz)
  return db
    .select()
    .from(invoices)
    .where(and(eq(invoices.orgClientId, orgClientId), inArray(invoices.status, ['open', 'paid'])))
    .orderBy(desc(invoices.createdAt))
    .limit(100)
    .all()
    .map((i) => ({
      id: i.id,
      number: i.number,
      total_cents: i.totalCents,
      balance_cents: Math.max(0, i.totalCents - i.paidCents),
      status: i.status as 'open' | 'paid',
      overdue: i.status === 'open' && i.dueDate < today,
      due_date: i.dueDate,
      paid_at: i.paidAt,
    }))
}
