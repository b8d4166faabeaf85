/**
 * One business as the console's page shows it: the business, its team (the owner first), its
 * subscription and plan history, the metrics job's figures and its support tickets. Staff and
 * counts only: nothing here reads a client.
 */
import { sql } from 'drizzle-orm'
import type { PeopleDb } from '../db'
import type { Engagement } from '../people/platform-schema'

export type TeamMember = {
  account_id: string
  name: string | null
  email: string
  role: string
  joined_at: string
  last_sign_in_at: string | null
}

export type PlanChange = { at: string; plan: string | null; status: string | null; mrr_cents: number }

export type OrgFigures = {
  clients: number
  jobs_30d: number
  messages_30d: number
  sms_this_period: number
  last_sign_in_at: string | null
  engagement: Engagement
  mrr_cents: number
  ltv_cents: number
  total_spent_cents: number
  computed_at: string
}

export type TicketLine = { ticket_id: string; subject: string; status: string; priority: string; created_at: string }

export type OrganizationDetail = {
  organization_id: string
  name: string
  slug: string | null
  timezone: string
  country: string
  created_at: string
  team: TeamMember[]
  plan: string
  subscription: { status: string | null; current_period_end: string | null; mrr_cents: number } | null
  history: PlanChange[]
  figures: OrgFigures | null
  tickets: TicketLine[]
}

/** The business's page data, or null for an id that names no business. */
export async function organizationDetail(db: PeopleDb, id: string): Promise<OrganizationDetail | null> {
  const org = await db.get<{
    name: string
    slug: string | null
    timezone: string
    country: string
    created_at: string
    plan: string
    status: string | null
    current_period_end: string | null
    mrr_cents: number | null
  }>(sql`
    select o.name, o.slug, o.timezone, o.country, o.created_at, coalesce(p.name, dp.name, 'Free') as plan,
      s.status, s.current_period_end, s.mrr_cents
    from organizations o
    left join subscriptions s on s.organization_id = o.id
    left join plans p on p.id = s.plan_id and s.status in ('active', 'trialing', 'past_due')
    left join plans dp on dp.is_default = 1
    where o.id = ${id}`)
  if (!org) return null
  const [team, history, figures, tickets] = await Promise.all([
    db.all<TeamMember>(sql`
      select a.id as account_id, a.name, a.email, m.role, m.created_at as joined_at, a.last_sign_in_at
      from memberships m join accounts a on a.id = m.account_id
      where m.organization_id = ${id}
      order by case m.role when 'owner' then 0 when 'admin' then 1 when 'member' then 2 else 3 end, m.created_at`),
    db.all<PlanChange>(sql`
      select h.at, p.name as plan, h.status, h.mrr_cents
      from subscription_history h left join plans p on p.id = h.plan_id
      where h.organization_id = ${id} order by h.at desc limit 100`),
    db.get<OrgFigures>(sql`
      select clients, jobs_30d, messages_30d, sms_this_period, last_sign_in_at, engagement, mrr_cents, ltv_cents,
        total_spent_cents, computed_at
      from org_metrics where organization_id = ${id}`),
    db.all<TicketLine>(sql`
      select id as ticket_id, subject, status, priority, created_at from support_tickets
      where organization_id = ${id} order by created_at desc limit 50`),
  ])
  return {
    organization_id: id,
    name: org.name,
    slug: org.slug,
    timezone: org.timezone,
    country: org.country,
    created_at: org.created_at,
    team,
    plan: org.plan,
    subscription:
      org.status === null
        ? null
        : { status: org.status, current_period_end: org.current_period_end, mrr_cents: org.mrr_cents ?? 0 },
    history,
    figures: figures ?? null,
    tickets,
  }
}
