/** The first-run checklist's facts from the business's own data: a service offered, a client, a job. */
import { sql } from 'drizzle-orm'
import type { OrgDb } from './db'

/** The checklist's steps, in the order the dashboard lists them. */
export const SETUP_STEPS = ['services', 'payments', 'review_link', 'phone', 'clients', 'first_job'] as const
export type SetupStep = (typeof SETUP_STEPS)[number]

/** Which steps are done, and when the owner put the checklist away (null: still shown until done). */
export type SetupChecklist = { steps: Record<SetupStep, boolean>; done: number; dismissed_at: string | null }

/** Whether the business offers a service, has a client (not merged away) and has booked a job: one read. */
export function setupFacts(db: OrgDb): { services: boolean; clients: boolean; first_job: boolean } {
  const row = db.get<{ services: number; clients: number; jobs: number }>(sql`
    select exists(select 1 from services where active = 1) as services,
      exists(select 1 from org_clients where merged_into is null) as clients,
      exists(select 1 from jobs) as jobs`)
  return { services: !!row?.services, clients: !!row?.clients, first_job: !!row?.jobs }
}
