/**
 * Announcements to owners: the console's filters (plan, engagement, signup dates) pick the
 * businesses, the draft shows how many owners it reaches, and the confirm sends one email per owner
 * account with a one-click unsubscribe; owners who opted out are skipped with `opted_out`, a replayed
 * confirm sends nothing more, and only operators reach any of it.
 */
import { env, SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { createOrg, type TestOrg } from './helpers/factories'
import { emailsTo, type Operator, signedIn, signInOperator } from './helpers/support'

/** A business signed up on `day` (YYYY-MM-DD), on a plan, with an engagement, its owner opted out or not. */
async function business(day: string, o: { plan?: string; engagement?: string; optedOut?: boolean } = {}) {
  const org = await createOrg()
  const db = env.PEOPLE
  await db
    .prepare('update organizations set created_at = ? where id = ?')
    .bind(`${day}T12:00:00.000Z`, org.organizationId)
    .run()
  if (o.plan)
    await db
      .prepare("insert into subscriptions (organization_id, plan_id, status, mrr_cents) values (?, ?, 'active', 9900)")
      .bind(org.organizationId, o.plan)
      .run()
  if (o.engagement)
    await db
      .prepare('insert into org_metrics (organization_id, engagement, computed_at) values (?, ?, ?)')
      .bind(org.organizationId, o.engagement, new Date().toISOString())
      .run()
  if (o.optedOut)
    await db
      .prepare('update accounts set announcements_opt_out_at = ? where id = ?')
      .bind(new Date().toISOString(), org.userId)
      .run()
  return org
}

/** Writes an announcement on the console's form; returns its id. */
async function draft(op: Operator, fields: Record<string, string>): Promise<string> {
  const res = await op.staff.post('/admin/announcements', {
    _csrf: op.csrf,
    subject: 'New: online booking',
    body: 'Homeowners can now book you online.',
    ...fields,
  })
  expect(res.status).toBe(303)
  return res.headers.get('location')!.split('/').pop()!
}

const send = (op: Operator, id: string) => op.staff.post(`/admin/announcements/${id}/send`, { _csrf: op.csrf })

async function sendsOf(id: string) {
  const { results } = await env.PEOPLE.prepare(
    'select account_id, email, status, reason from announcement_sends where announcement_id = ? order by email',
  )
    .bind(id)
    .all<{ account_id: string; email: string; status: string; reason: string | null }>()
  return results
}

const announcementsTo = async (org: TestOrg) =>
  (await emailsTo(org.email)).filter((m) => m.message_id.startsWith('announcement:'))

describe('an announcement to a filtered set of businesses', () => {
  it('reaches each matching owner once, skips those who opted out, and sends nothing more when confirmed again', async () => {
    const day = '2021-03-01'
    const pro = await business(day, { plan: 'plan_pro' })
    const optedOut = await business(day, { plan: 'plan_pro', optedOut: true })
    const free = await business(day)
    const later = await business('2021-03-05', { plan: 'plan_pro' })
    // The owner of `pro` owns a second matching business too: still one email.
    const second = await business(day, { plan: 'plan_pro' })
    await env.PEOPLE.prepare("insert into memberships (account_id, organization_id, role) values (?, ?, 'owner')")
      .bind(pro.userId, second.organizationId)
      .run()
    const op = await signInOperator()
    const id = await draft(op, { plan: 'plan_pro', signup_from: day, signup_to: day })

    const page = await (await op.staff.get(`/admin/announcements/${id}`)).text()
    expect(page).toMatch(/data-testid="reach">\s*3\s*</)
    expect(page).toContain('of whom 1 opted out and will be skipped')
    expect(page).toContain('Send to 2 owners')
    expect(page).toContain('Owners of businesses on the Pro plan, signed up 2021-03-01 to 2021-03-01')
    expect(await announcementsTo(pro)).toEqual([])

    const sent = await send(op, id)
    expect(sent.status).toBe(303)
    const [mail, ...more] = await announcementsTo(pro)
    expect(more).toEqual([])
    expect(mail!.subject).toBe('New: online booking')
    expect(mail!.body).toContain('Homeowners can now book you online.')
    const link = mail!.body.match(/Unsubscribe in one click: (https:\/\/homebase\.test\/u\/announcements\/\S+)$/)?.[1]
    expect(link).toBeDefined()
    expect(JSON.parse(mail!.headers)).toEqual({
      'List-Unsubscribe': `<${link}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    })
    expect(await announcementsTo(second)).toHaveLength(1)
    for (const none of [optedOut, free, later]) expect(await announcementsTo(none)).toEqual([])
    expect((await sendsOf(id)).map((s) => [s.account_id, s.status, s.reason]).sort()).toEqual(
      [
        [pro.userId, 'sent', null],
        [second.userId, 'sent', null],
        [optedOut.userId, 'skipped', 'opted_out'],
      ].sort(),
    )

    // A business that matches only now, and a replayed confirm: nothing more goes out.
    const newcomer = await business(day, { plan: 'plan_pro' })
    expect((await send(op, id)).status).toBe(303)
    expect(await announcementsTo(pro)).toHaveLength(1)
    expect(await announcementsTo(newcomer)).toEqual([])
    expect(await sendsOf(id)).toHaveLength(3)

    const done = await (await op.staff.get(`/admin/announcements/${id}`)).text()
    expect(done).toMatch(/data-testid="count-sent">2</)
    expect(done).toMatch(/data-testid="count-opted-out">1</)
    const list = await (await op.staff.get('/admin/announcements')).text()
    expect(list).toContain(`href="/admin/announcements/${id}"`)
    expect(list).toMatch(/2 sent, 1 opted out/)
  })

  it('filters by engagement', async () => {
    const day = '2021-04-01'
    const atRisk = await business(day, { engagement: 'at_risk' })
    const active = await business(day, { engagement: 'active' })
    const op = await signInOperator()
    const id = await draft(op, { engagement: 'at_risk', signup_from: day, signup_to: day })
    await send(op, id)
    expect(await announcementsTo(atRisk)).toHaveLength(1)
    expect(await announcementsTo(active)).toEqual([])
  })

  it('gives the form back with errors beside the fields, drafting nothing', async () => {
    const op = await signInOperator()
    const before = await env.PEOPLE.prepare('select count(*) as n from announcements').first<{ n: number }>()
    const res = await op.staff.post('/admin/announcements', {
      _csrf: op.csrf,
      subject: '',
      body: 'Hello',
      signup_from: '2021-05-02',
      signup_to: '2021-05-01',
    })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('id="f-subject-error"')
    expect(html).toContain('Pick a date on or after the first one.')
    expect(await env.PEOPLE.prepare('select count(*) as n from announcements').first<{ n: number }>()).toEqual(before)
  })
})

describe('a large audience', () => {
  it('sends 200 a confirm, offers the rest, skips an owner who opted out meanwhile, and stops once everyone has one', async () => {
    const day = '2021-08-01'
    const owners = Array.from({ length: 205 }, () => ({ org: crypto.randomUUID(), account: crypto.randomUUID() }))
    await env.PEOPLE.batch(
      owners.flatMap(({ org, account }) => [
        env.PEOPLE.prepare('insert into organizations (id, name, created_at) values (?, ?, ?)').bind(
          org,
          'Bulk Cleaning',
          `${day}T08:00:00.000Z`,
        ),
        env.PEOPLE.prepare("insert into accounts (id, email, password_hash) values (?, ?, 'x')").bind(
          account,
          `bulk-${account}@example.com`,
        ),
        env.PEOPLE.prepare("insert into memberships (account_id, organization_id, role) values (?, ?, 'owner')").bind(
          account,
          org,
        ),
      ]),
    )
    const op = await signInOperator()
    const id = await draft(op, { signup_from: day, signup_to: day })
    const count = async (status: string) => (await sendsOf(id)).filter((s) => s.status === status).length
    const emailed = async () =>
      (await env.PEOPLE.prepare('select count(*) as n from outbox where substr(message_id, 1, ?) = ?')
        .bind(`announcement:${id}:`.length, `announcement:${id}:`)
        .first<{ n: number }>())!.n

    await send(op, id)
    expect([await count('sent'), await count('queued'), await emailed()]).toEqual([200, 5, 200])
    const page = await (await op.staff.get(`/admin/announcements/${id}`)).text()
    expect(page).toContain('5 still waiting')
    expect(page).toContain('Send the rest')

    // One of the five still waiting opts out before the rest goes: they are skipped, never sent.
    const waiting = (await sendsOf(id)).find((s) => s.status === 'queued')!
    await env.PEOPLE.prepare('update accounts set announcements_opt_out_at = ? where id = ?')
      .bind(new Date().toISOString(), waiting.account_id)
      .run()
    await send(op, id)
    await send(op, id)
    expect([await count('sent'), await count('queued'), await emailed()]).toEqual([204, 0, 204])
    expect((await sendsOf(id)).find((s) => s.account_id === waiting.account_id)).toMatchObject({
      status: 'skipped',
      reason: 'opted_out',
    })
    expect(await (await op.staff.get(`/admin/announcements/${id}`)).text()).not.toContain('Send the rest')
  })
})

describe('unsubscribing from announcements', () => {
  it("opts the owner out with one click from the email's link, and the next announcement skips them", async () => {
    const day = '2021-06-01'
    const owner = await business(day)
    const op = await signInOperator()
    await send(op, await draft(op, { signup_from: day, signup_to: day }))
    const [mail] = await announcementsTo(owner)
    const link = mail!.body.match(/(https:\/\/homebase\.test\/u\/announcements\/\S+)$/)![1]!

    const shown = await env.PEOPLE.prepare('select announcements_opt_out_at as at from accounts where id = ?')
    const page = await (await SELF.fetch(link)).text()
    expect(page).toContain('Stop HomeBase announcements?')
    expect(await shown.bind(owner.userId).first()).toEqual({ at: null })

    // A mail client's one-click POST: no session, no Origin.
    const clicked = await SELF.fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    })
    expect(clicked.status).toBe(200)
    expect((await shown.bind(owner.userId).first<{ at: string }>())!.at).not.toBeNull()

    const next = await draft(op, { signup_from: day, signup_to: day })
    await send(op, next)
    expect(await announcementsTo(owner)).toHaveLength(1)
    expect((await sendsOf(next)).map((s) => s.reason)).toEqual(['opted_out'])
  })

  it('refuses a tampered link, changing nothing', async () => {
    const org = await createOrg()
    const { staff } = await signedIn(org)
    for (const token of [`${org.userId}.AAAA`, 'nonsense', `${org.userId}`]) {
      expect((await staff.post(`/u/announcements/${token}`)).status).toBe(404)
    }
    const row = await env.PEOPLE.prepare('select announcements_opt_out_at as at from accounts where id = ?')
      .bind(org.userId)
      .first()
    expect(row).toEqual({ at: null })
  })
})

describe('who may send announcements', () => {
  it("answers 404 to a business's owner on every page and action, sending nothing", async () => {
    const day = '2021-07-01'
    const target = await business(day)
    const op = await signInOperator()
    const id = await draft(op, { signup_from: day, signup_to: day })
    const { staff, csrf } = await signedIn(target)
    expect((await staff.get('/admin/announcements')).status).toBe(404)
    expect((await staff.get(`/admin/announcements/${id}`)).status).toBe(404)
    expect((await staff.post('/admin/announcements', { _csrf: csrf, subject: 'x', body: 'y' })).status).toBe(404)
    expect((await staff.post(`/admin/announcements/${id}/send`, { _csrf: csrf })).status).toBe(404)
    expect(await sendsOf(id)).toEqual([])
    expect(await announcementsTo(target)).toEqual([])
  })
})
