/**
 * The console's list of businesses (seed 004's member list, done right): one D1 query from
 * organizations and their owner's account, joining the subscription, its plan (the default plan
 * without a live one) and the metrics job's figures; search, filters, a sort on any column and a
 * cursor. Counts and the business's own staff only: nothing here reads a client.
 */
import { type SQL, sql } from 'drizzle-orm'
import type { PeopleDb } from '../db'
import { invalidInput } from '../errors'
import type { Engagement } from '../people/platform-schema'
import { textFromBase64url, textToBase64url } from '../encoding'

export type OrganizationItem = {
  organization_id: string
  name: string
  created_at: string
  owner_email: string | null
  last_sign_in_at: string | null
  plan: string
  subscription_status: string | null
  mrr_cents: number
  ltv_cents: number
  clients: number
  jobs_30d: number
  messages_30d: number
  /** Null until the metrics job has seen the business (it runs daily and on "Recompute now"). */
  engagement: Engagement | null
}

/** The columns of an item, in the order the API, the CSV and the table show them. */
export const ORGANIZATION_COLUMNS = [
  'organization_id',
  'name',
  'created_at',
  'owner_email',
  'last_sign_in_at',
  'plan',
  'subscription_status',
  'mrr_cents',
  'ltv_cents',
  'clients',
  'jobs_30d',
  'messages_30d',
  'engagement',
] as const satisfies ReadonlyArray<keyof OrganizationItem>

/** What each sortable column sorts by: names without case, nulls as the lowest, plans by price, engagement best first. */
const SORTS = {
  name: 'b.name collate nocase',
  created_at: 'b.created_at',
  owner_email: "coalesce(b.owner_email, '') collate nocase",
  last_sign_in_at: "coalesce(b.last_sign_in_at, '')",
  plan: 'b.plan_price',
  subscription_status: "coalesce(b.subscription_status, '')",
  mrr_cents: 'b.mrr_cents',
  ltv_cents: 'b.ltv_cents',
  clients: 'b.clients',
  jobs_30d: 'b.jobs_30d',
  messages_30d: 'b.messages_30d',
  engagement: "case b.engagement when 'active' then 1 when 'at_risk' then 2 when 'dormant' then 3 else 4 end",
} as const

export type SortColumn = keyof typeof SORTS
export const SORT_COLUMNS = Object.keys(SORTS) as [SortColumn, ...SortColumn[]]

export type OrganizationFilters = {
  /** Part of the business's name, its slug or its owner's email. */
  q?: string
  /** A plan's id or name (case-insensitive). */
  plan?: string
  engagement?: Engagement
  /** Signup dates, YYYY-MM-DD (UTC), both inclusive. */
  signup_from?: string
  signup_to?: string
  sort?: SortColumn
  dir?: 'asc' | 'desc'
}

/** A page of the list: its items and the cursor of the next page (null at the end). */
export type OrganizationPage = { items: OrganizationItem[]; next_cursor: string | null }

/** A LIKE pattern for "contains q", its wildcards escaped (a search for "50%" finds "50%"), within D1's 50 bytes. */
function likeText(q: string): string {
  let chars = [...q]
  const pattern = () => `%${chars.join('').replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`
  while (new TextEncoder().encode(pattern()).length > 50) chars = chars.slice(0, -1)
  return pattern()
}

const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString()

/** The cursor after `row`: its sort value and id, with the sort it was made for. */
function cursorOf(row: Record<string, unknown>, sort: SortColumn, dir: string): string {
  return textToBase64url(JSON.stringify([sort, dir, row['sort_value'], row['organization_id']]))
}

function readCursor(cursor: string, sort: SortColumn, dir: string): [string | number, string] {
  try {
    const [s, d, value, id] = JSON.parse(textFromBase64url(cursor)) as unknown[]
    if (s === sort && d === dir && (typeof value === 'string' || typeof value === 'number') && typeof id === 'string')
      return [value, id]
  } catch {
    // fall through: not one of ours
  }
  throw invalidInput([{ path: 'cursor', message: 'This cursor is not from this list and sort.' }])
}

/** One page of businesses matching the filters, sorted (newest signup first by default). */
export async function listOrganizations(
  db: PeopleDb,
  filters: OrganizationFilters,
  page: { limit: number; cursor?: string },
): Promise<OrganizationPage> {
  const sort = filters.sort ?? 'created_at'
  const dir = filters.dir ?? (filters.sort ? 'asc' : 'desc')
  const by = sql.raw(SORTS[sort])
  const op = sql.raw(dir === 'asc' ? '>' : '<')
  const where: SQL[] = [sql`1 = 1`]
  const q = filters.q?.trim()
  if (q) {
    const like = likeText(q)
    where.push(
      sql`(b.name like ${like} escape '\\' or b.slug like ${like} escape '\\' or b.owner_email like ${like} escape '\\')`,
    )
  }
  if (filters.plan) where.push(sql`(b.plan_id = ${filters.plan} or lower(b.plan) = lower(${filters.plan}))`)
  if (filters.engagement) where.push(sql`b.engagement = ${filters.engagement}`)
  if (filters.signup_from) where.push(sql`b.created_at >= ${`${filters.signup_from}T00:00:00.000Z`}`)
  if (filters.signup_to) where.push(sql`b.created_at < ${nextDay(filters.signup_to)}`)
  if (page.cursor) {
    const [value, id] = readCursor(page.cursor, sort, dir)
    where.push(sql`(${by} ${op} ${value} or (${by} = ${value} and b.organization_id ${op} ${id}))`)
  }
  const order = sql.raw(dir === 'asc' ? 'asc' : 'desc')
  const rows = await db.all<OrganizationItem & { sort_value: string | number }>(sql`
    select b.*, ${by} as sort_value from (
      select o.id as organization_id, o.name, o.slug, o.created_at,
        (select a.email from memberships m join accounts a on a.id = m.account_id
          where m.organization_id = o.id and m.role = 'owner' order by m.created_at, m.account_id limit 1) as owner_email,
        (select max(a.last_sign_in_at) from memberships m join accounts a on a.id = m.account_id
          where m.organization_id = o.id) as last_sign_in_at,
        coalesce(p.id, dp.id) as plan_id, coalesce(p.name, dp.name, 'Free') as plan,
        coalesce(p.price_monthly_cents, dp.price_monthly_cents, 0) as plan_price,
        s.status as subscription_status, coalesce(s.mrr_cents, 0) as mrr_cents,
        coalesce(om.ltv_cents, 0) as ltv_cents, coalesce(om.clients, 0) as clients,
        coalesce(om.jobs_30d, 0) as jobs_30d, coalesce(om.messages_30d, 0) as messages_30d, om.engagement
      from organizations o
      left join subscriptions s on s.organization_id = o.id
      left join plans p on p.id = s.plan_id and s.status in ('active', 'trialing', 'past_due')
      left join plans dp on dp.is_default = 1
      left join org_metrics om on om.organization_id = o.id
    ) b
    where ${sql.join(where, sql` and `)}
    order by ${by} ${order}, b.organization_id ${order}
    limit ${page.limit + 1}`)
  const more = rows.length > page.limit
  const shown = rows.slice(0, page.limit)
  const last = shown[shown.length - 1]
  return {
    items: shown.map((r) => Object.fromEntries(ORGANIZATION_COLUMNS.map((k) => [k, r[k] ?? null])) as OrganizationItem),
    next_cursor: more && last ? cursorOf(last, sort, dir) : null,
  }
}

/** Every business matching the filters, a page of 1,000 at a time (the CSV export). */
export async function allOrganizations(db: PeopleDb, filters: OrganizationFilters): Promise<OrganizationItem[]> {
  const all: OrganizationItem[] = []
  let cursor: string | undefined
  do {
    const page = await listOrganizations(db, filters, { limit: 1000, cursor })
    all.push(...page.items)
    cursor = page.next_cursor ?? undefined
  } while (cursor)
  return all
}
