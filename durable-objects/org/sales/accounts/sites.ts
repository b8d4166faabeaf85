/** An account's sites (service addresses): added, changed, removed unless a job was booked there; a job's site is checked here. */
import { and, asc, count, eq } from 'drizzle-orm'
import { conflict, invalidInput, notFound } from '../../../../src/errors'
import type { OrgDb } from '../../db'
import { accountSites, jobs, orgClients } from '../../schema'
import { requireAccount } from './accounts'

export type Site = {
  site_id: string
  account_id: string
  label: string | null
  address1: string
  address2: string | null
  city: string
  state: string
  postal: string
  country: string
  created_at: string
}

export type NewSite = {
  label?: string
  address1: string
  address2?: string
  city: string
  state: string
  postal: string
  country: string
}

export type SitePatch = {
  label?: string | null
  address1?: string
  address2?: string | null
  city?: string
  state?: string
  postal?: string
  country?: string
}

const toSite = (s: typeof accountSites.$inferSelect): Site => ({
  site_id: s.id,
  account_id: s.accountId,
  label: s.label,
  address1: s.address1,
  address2: s.address2,
  city: s.city,
  state: s.state,
  postal: s.postal,
  country: s.country,
  created_at: s.createdAt,
})

/** The account's sites in the order they were added. */
export function listSites(db: OrgDb, accountId: string): Site[] {
  return db
    .select()
    .from(accountSites)
    .where(eq(accountSites.accountId, accountId))
    .orderBy(asc(accountSites.createdAt), asc(accountSites.id))
    .all()
    .map(toSite)
}

/** One site of the account, or a 404 (another account's site is not found either). */
export function requireSite(db: OrgDb, accountId: string, siteId: string): Site {
  const row = db
    .select()
    .from(accountSites)
    .where(and(eq(accountSites.id, siteId), eq(accountSites.accountId, accountId)))
    .get()
  if (!row) throw notFound('site')
  return toSite(row)
}

export function addSite(db: OrgDb, accountId: string, input: NewSite, now: Date): Site {
  requireAccount(db, accountId)
  const row = {
    id: crypto.randomUUID(),
    accountId,
    label: input.label ?? null,
    address1: input.address1,
    address2: input.address2 ?? null,
    city: input.city,
    state: input.state,
    postal: input.postal,
    country: input.country,
    createdAt: now.toISOString(),
  }
  db.insert(accountSites).values(row).run()
  return toSite(row)
}

/** Changes a site's label or address parts; null clears the label or the second line. */
export function updateSite(db: OrgDb, accountId: string, siteId: string, patch: SitePatch): Site {
  requireSite(db, accountId, siteId)
  const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined))
  if (Object.keys(set).length > 0) db.update(accountSites).set(set).where(eq(accountSites.id, siteId)).run()
  return requireSite(db, accountId, siteId)
}

/** How many jobs were booked at the site. */
export function jobsAtSite(db: OrgDb, siteId: string): number {
  return db.select({ n: count() }).from(jobs).where(eq(jobs.siteId, siteId)).get()?.n ?? 0
}

/** Removes a site; one with jobs booked there stays (409), so those jobs keep their address. */
export function removeSite(db: OrgDb, accountId: string, siteId: string): { removed: true } {
  requireSite(db, accountId, siteId)
  const booked = jobsAtSite(db, siteId)
  if (booked > 0)
    throw conflict(`${booked} ${booked === 1 ? 'job was' : 'jobs were'} booked at this site, so it stays.`)
  db.delete(accountSites).where(eq(accountSites.id, siteId)).run()
  return { removed: true }
}

/** A site as a job's address: a property's shape, its label included. */
export type SiteAddress = {
  id: string
  label?: string
  address1: string
  address2?: string
  city: string
  state: string
  postal: string
  country: string
}

/** The site as a job's address, or null for an id this business does not hold. */
export function siteAddress(db: OrgDb, siteId: string): SiteAddress | null {
  const s = db.select().from(accountSites).where(eq(accountSites.id, siteId)).get()
  if (!s) return null
  return {
    id: s.id,
    address1: s.address1,
    city: s.city,
    state: s.state,
    postal: s.postal,
    country: s.country,
    ...(s.label ? { label: s.label } : {}),
    ...(s.address2 ? { address2: s.address2 } : {}),
  }
}

/**
 * The site a job for this client may be booked at: one of the client's account's sites. A site
 * this business does not hold is a 404; another account's site, or a client on no account, a 400.
 */
export function siteForClient(db: OrgDb, siteId: string, orgClientId: string): Site {
  const row = db.select().from(accountSites).where(eq(accountSites.id, siteId)).get()
  if (!row) throw notFound('site')
  const client = db
    .select({ accountId: orgClients.accountId })
    .from(orgClients)
    .where(eq(orgClients.id, orgClientId))
    .get()
  if (!client) throw notFound('client')
  if (client.accountId !== row.accountId)
    throw invalidInput([{ path: 'site_id', message: "is not a site of the client's account" }])
  return toSite(row)
}
