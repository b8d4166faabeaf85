/**
 * Announcements: an operator's email to the owners of the businesses a console filter matches
 * (plan, engagement, signup dates — the businesses list's filters). Written as a draft, counted,
 * then sent once: the first confirm fixes the recipients (one row per owner account, the primary
 * key keeping it to one), owners who opted out are skipped with `opted_out`, and the emails go out
 * through the configured provider a batch at a time, each with a one-click unsubscribe link.
 */
import { desc, eq, isNull, type SQL, sql } from 'drizzle-orm'
import { keyRing, timingSafeEqual } from '../auth/crypto'
import type { PeopleDb } from '../db'
import { base64url, fromBase64url } from '../encoding'
import type { Env } from '../env'
import { notFound } from '../errors'
import { providerFor } from '../messaging/providers'
import { accounts, announcements } from '../people/schema'
import type { Engagement } from '../people/platform-schema'

/** Which businesses' owners hear it; every field left out matches all. Dates are YYYY-MM-DD (UTC), inclusive. */
export type Audience = { plan?: string; engagement?: Engagement; signup_from?: string; signup_to?: string }

export type Announcement = {
  announcement_id: string
  subject: string
  body: string
  audience: Audience
  created_by: string
  /** Owners it was addressed to when it was confirmed (0 while a draft). */
  recipients: number
  sent_at: string | null
  created_at: string
  counts: { sent: number; opted_out: number; failed: number; waiting: number }
}

/** How many emails one request sends; a bigger audience is finished by confirming again ("Send the rest"). */
export const SEND_BATCH = 200
const CLAIM = 50

const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString()

/** The owners of the businesses `a` matches, one row per owner account (its first matching business). */
function ownersMatching(a: Audience): SQL {
  const where: SQL[] = [sql`1 = 1`]
  if (a.plan)
    where.push(sql`(coalesce(p.id, dp.id) = ${a.plan} or lower(coalesce(p.name, dp.name)) = lower(${a.plan}))`)
  if (a.engagement) where.push(sql`om.engagement = ${a.engagement}`)
  if (a.signup_from) where.push(sql`o.created_at >= ${`${a.signup_from}T00:00:00.000Z`}`)
  if (a.signup_to) where.push(sql`o.created_at < ${nextDay(a.signup_to)}`)
  return sql`
    select acc.id as account_id, min(o.id) as organization_id, acc.email as email,
      acc.announcements_opt_out_at as opted_out_at
    from organizations o
    join memberships m on m.organization_id = o.id and m.role = 'owner'
    join accounts acc on acc.id = m.account_id and acc.kind = 'staff'
    left join subscriptions s on s.organization_id = o.id
    left join plans p on p.id = s.plan_id and s.status in ('active', 'trialing', 'past_due')
    left join plans dp on dp.is_default = 1
    left join org_metrics om on om.organization_id = o.id
    where ${sql.join(where, sql` and `)}
    group by acc.id`
}

/** How many owners `audience` reaches now, and how many of them opted out of announcements. */
export async function countAudience(db: PeopleDb, audience: Audience): Promise<{ owners: number; opted_out: number }> {
  const [row] = await db.all<{ owners: number; opted_out: number | null }>(
    sql`select count(*) as owners, sum(opted_out_at is not null) as opted_out from (${ownersMatching(audience)})`,
  )
  return { owners: row?.owners ?? 0, opted_out: row?.opted_out ?? 0 }
}

/** Saves an announcement as a draft for its confirm page; returns its id. */
export async function draftAnnouncement(
  db: PeopleDb,
  input: { subject: string; body: string; audience: Audience },
  createdBy: string,
  now: Date,
): Promise<string> {
  const id = crypto.randomUUID()
  await db
    .insert(announcements)
    .values({ id, ...input, createdBy, createdAt: now.toISOString() })
    .run()
  return id
}

type Row = typeof announcements.$inferSelect
type Counts = Announcement['counts']

async function countsOf(db: PeopleDb, ids: string[]): Promise<Map<string, Counts>> {
  const found = new Map<string, Counts>()
  if (ids.length === 0) return found
  const rows = await db.all<{ id: string; status: string; reason: string | null; n: number }>(sql`
    select announcement_id as id, status, reason, count(*) as n from announcement_sends
    where announcement_id in (${sql.join(
      ids.map((i) => sql`${i}`),
      sql`, `,
    )}) group by announcement_id, status, reason`)
  for (const r of rows) {
    const c = found.get(r.id) ?? { sent: 0, opted_out: 0, failed: 0, waiting: 0 }
    if (r.status === 'sent') c.sent += r.n
    else if (r.status === 'queued') c.waiting += r.n
    else if (r.reason === 'opted_out') c.opted_out += r.n
    else c.failed += r.n
    found.set(r.id, c)
  }
  return found
}

const view = (r: Row, counts?: Counts): Announcement => ({
  announcement_id: r.id,
  subject: r.subject,
  body: r.body,
  audience: r.audience as Audience,
  created_by: r.createdBy,
  recipients: r.recipients,
  sent_at: r.sentAt,
  created_at: r.createdAt,
  counts: counts ?? { sent: 0, opted_out: 0, failed: 0, waiting: 0 },
})

/** Past announcements and drafts, newest first, with their counts. */
export async function listAnnouncements(db: PeopleDb, limit = 100): Promise<Announcement[]> {
  const rows = await db.select().from(announcements).orderBy(desc(announcements.createdAt)).limit(limit).all()
  const counts = await countsOf(
    db,
    rows.map((r) => r.id),
  )
  return rows.map((r) => view(r, counts.get(r.id)))
}

/** One announcement; 404 for an unknown id. */
export async function getAnnouncement(db: PeopleDb, id: string): Promise<Announcement> {
  const row = await db.select().from(announcements).where(eq(announcements.id, id)).get()
  if (!row) throw notFound('announcement')
  return view(row, (await countsOf(db, [id])).get(id))
}

/**
 * Confirms and sends. The first confirm claims the announcement and writes one row per matching
 * owner (queued, or skipped `opted_out`); every confirm then sends up to SEND_BATCH waiting rows,
 * each claimed before it goes, so a replayed confirm never sends an owner a second copy.
 */
export async function sendAnnouncement(env: Env, db: PeopleDb, id: string, baseUrl: string, now: Date) {
  const a = await getAnnouncement(db, id)
  const [claimed] = await db
    .update(announcements)
    .set({ sentAt: now.toISOString() })
    .where(sql`${announcements.id} = ${id} and ${isNull(announcements.sentAt)}`)
    .returning({ id: announcements.id })
  if (claimed) {
    await db.run(sql`
      insert into announcement_sends (announcement_id, account_id, organization_id, email, status, reason, created_at)
      select ${id}, account_id, organization_id, email,
        case when opted_out_at is null then 'queued' else 'skipped' end,
        case when opted_out_at is null then null else 'opted_out' end, ${now.toISOString()}
      from (${ownersMatching(a.audience)}) where true
      on conflict do nothing`)
    await db.run(
      sql`update announcements set recipients = (select count(*) from announcement_sends where announcement_id = ${id}) where id = ${id}`,
    )
  }
  for (let sent = 0; sent < SEND_BATCH; sent += CLAIM) {
    // An owner who opted out since the first confirm (between batches) is skipped, never sent.
    await db.run(sql`
      update announcement_sends set status = 'skipped', reason = 'opted_out'
      where announcement_id = ${id} and status = 'queued' and account_id in (
        select id from accounts where announcements_opt_out_at is not null)`)
    const batch = await db.all<{ account_id: string; organization_id: string; email: string }>(sql`
      update announcement_sends set status = 'sent'
      where announcement_id = ${id} and status = 'queued' and account_id in (
        select account_id from announcement_sends where announcement_id = ${id} and status = 'queued' limit ${CLAIM})
      returning account_id, organization_id, email`)
    if (batch.length === 0) break
    for (const owner of batch) await deliver(env, db, a, owner, baseUrl)
  }
  return getAnnouncement(db, id)
}

/** One owner's copy; a provider's refusal marks the row skipped (`send_failed`) instead of sent. */
async function deliver(
  env: Env,
  db: PeopleDb,
  a: Announcement,
  owner: { account_id: string; organization_id: string; email: string },
  baseUrl: string,
) {
  const unsubscribeUrl = `${baseUrl}/u/announcements/${await unsubscribeToken(env, owner.account_id)}`
  try {
    await providerFor(
      env,
      'email',
    )({
      id: `announcement:${a.announcement_id}:${owner.account_id}`,
      organizationId: owner.organization_id,
      channel: 'email',
      to: owner.email,
      from: env.EMAIL_FROM ?? 'HomeBase <reminders@homebase.test>',
      subject: a.subject,
      body: `${a.body}\n\n—\nYou get HomeBase announcements as the owner of a business on HomeBase. Unsubscribe in one click: ${unsubscribeUrl}`,
      transactional: false,
      unsubscribeUrl,
    })
  } catch (error) {
    console.error('announcement: email not delivered', error instanceof Error ? error.message : String(error))
    await db.run(sql`
      update announcement_sends set status = 'skipped', reason = 'send_failed'
      where announcement_id = ${a.announcement_id} and account_id = ${owner.account_id}`)
  }
}

const encoder = new TextEncoder()

async function mac(secret: string, accountId: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ])
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(`announcements-unsubscribe:${accountId}`)))
}

type Keys = Pick<Env, 'PORTAL_SIGNING_KEY' | 'PORTAL_SIGNING_KEY_ID' | 'PORTAL_OLD_KEYS'>

/** The owner's unsubscribe token: `{account id}.{HMAC}`, signed with the link key ring; it does not expire. */
export async function unsubscribeToken(env: Keys, accountId: string): Promise<string> {
  const { current } = keyRing(env.PORTAL_SIGNING_KEY, env.PORTAL_SIGNING_KEY_ID, env.PORTAL_OLD_KEYS)
  if (!current) throw new Error('PORTAL_SIGNING_KEY is not set: unsubscribe links cannot be signed')
  return `${accountId}.${base64url(await mac(current.secret, accountId))}`
}

/** The account a token was made for by any key of the ring, else null. */
export async function accountOfToken(env: Keys, token: string): Promise<string | null> {
  const [accountId, sig, extra] = token.split('.')
  if (!accountId || !sig || extra !== undefined) return null
  let given: Uint8Array
  try {
    given = fromBase64url(sig)
  } catch {
    return null
  }
  const { all } = keyRing(env.PORTAL_SIGNING_KEY, env.PORTAL_SIGNING_KEY_ID, env.PORTAL_OLD_KEYS)
  for (const secret of all.values()) if (timingSafeEqual(given, await mac(secret, accountId))) return accountId
  return null
}

/** Stops announcements to the account (the first opt-out's time is kept); false for an unknown account. */
export async function optOutOfAnnouncements(db: PeopleDb, accountId: string, now: Date): Promise<boolean> {
  const account = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, accountId)).get()
  if (!account) return false
  await db
    .update(accounts)
    .set({ announcementsOptOutAt: now.toISOString() })
    .where(sql`${accounts.id} = ${accountId} and ${isNull(accounts.announcementsOptOutAt)}`)
    .run()
  return true
}
