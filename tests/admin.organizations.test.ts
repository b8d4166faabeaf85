import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { OrganizationItem } from '../src/platform/organizations-list'
import { createOrg, type TestOrg, unique } from './helpers/factories'
import { signInOperator } from './helpers/operator'

type Page = { items: OrganizationItem[]; next_cursor: string | null }

/** A business with the figures the list shows written straight to D1 (the metrics job's row, the subscription). */
async function business(
  name: string,
  f: {
    createdAt: string
    signedIn?: string | null
    slug?: string
    plan?: { id: string; status: string; mrr: number }
    metrics?: { engagement: string; clients: number; jobs: number; messages: number; ltv: number }
  },
): Promise<TestOrg> {
  const org = await createOrg({ organization_name: name })
  const d1 = env.PEOPLE
  await d1
    .prepare('update organizations set created_at = ?, slug = ? where id = ?')
    .bind(f.createdAt, f.slug ?? null, org.organizationId)
    .run()
  await d1
    .prepare('update accounts set last_sign_in_at = ? where id = ?')
    .bind(f.signedIn ?? null, org.userId)
    .run()
  if (f.plan)
    await d1
      .prepare('insert into subscriptions (organization_id, plan_id, status, mrr_cents) values (?, ?, ?, ?)')
      .bind(org.organizationId, f.plan.id, f.plan.status, f.plan.mrr)
      .run()
  if (f.metrics)
    await d1
      .prepare(
        'insert into org_metrics (organization_id, clients, jobs_30d, messages_30d, engagement, ltv_cents, computed_at) values (?, ?, ?, ?, ?, ?, ?)',
      )
      .bind(
        org.organizationId,
        f.metrics.clients,
        f.metrics.jobs,
        f.metrics.messages,
        f.metrics.engagement,
        f.metrics.ltv,
        '2026-01-01T00:00:00.000Z',
      )
      .run()
  return org
}

/** Four businesses sharing a token in their names, so a search for it lists only them. */
async function seedFour() {
  const t = `zq${unique()}`
  const alpha = await business(`${t} alpha Cleaning`, {
    createdAt: '2026-01-10T09:00:00.000Z',
    signedIn: '2026-02-01T10:00:00.000Z',
    slug: `alpha-${t}`,
    plan: { id: 'plan_pro', status: 'active', mrr: 9900 },
    metrics: { engagement: 'active', clients: 40, jobs: 12, messages: 30, ltv: 50_000 },
  })
  const bravo = await business(`${t} Bravo Plumbing`, {
    createdAt: '2026-01-20T09:00:00.000Z',
    plan: { id: 'plan_starter', status: 'active', mrr: 4900 },
    metrics: { engagement: 'at_risk', clients: 5, jobs: 1, messages: 0, ltv: 9800 },
  })
  const charlie = await business(`${t} Charlie Lawns`, {
    createdAt: '2026-02-05T09:00:00.000Z',
    plan: { id: 'plan_pro', status: 'canceled', mrr: 0 },
    metrics: { engagement: 'dormant', clients: 0, jobs: 0, messages: 0, ltv: 14_700 },
  })
  const delta = await business(`${t} delta HVAC`, { createdAt: '2026-02-06T00:00:00.000Z' })
  return { t, alpha, bravo, charlie, delta }
}

describe('GET /admin/api/organizations', () => {
  it("lists each business from its owner's account, subscription, plan and figures", async () => {
    const ops = await signInOperator()
    const { t, alpha, bravo, charlie, delta } = await seedFour()
    const page = await (await ops.api('GET', `/admin/api/organizations?q=${t}&sort=name&dir=asc`)).json<Page>()
    expect(page.items.map((o) => o.organization_id)).toEqual([
      alpha.organizationId,
      bravo.organizationId,
      charlie.organizationId,
      delta.organizationId,
    ])
    expect(page.next_cursor).toBeNull()
    expect(page.items[0]).toEqual({
      organization_id: alpha.organizationId,
      name: `${t} alpha Cleaning`,
      created_at: '2026-01-10T09:00:00.000Z',
      owner_email: alpha.email,
      last_sign_in_at: '2026-02-01T10:00:00.000Z',
      plan: 'Pro',
      subscription_status: 'active',
      mrr_cents: 9900,
      ltv_cents: 50_000,
      clients: 40,
      jobs_30d: 12,
      messages_30d: 30,
      engagement: 'active',
    })
    // A canceled subscription leaves the business on Free; no subscription at all is Free too.
    expect(page.items[2]).toMatchObject({ plan: 'Free', subscription_status: 'canceled', mrr_cents: 0 })
    expect(page.items[3]).toMatchObject({ plan: 'Free', subscription_status: null, engagement: null, clients: 0 })
  })

  it("searches the business's name, its link name and its owner's email", async () => {
    const ops = await signInOperator()
    const { t, alpha, bravo } = await seedFour()
    const ids = async (q: string) =>
      (await (await ops.api('GET', `/admin/api/organizations?q=${encodeURIComponent(q)}`)).json<Page>()).items.map(
        (o) => o.organization_id,
      )
    expect(await ids(`${t} BRAVO`)).toEqual([bravo.organizationId])
    expect(await ids(`alpha-${t}`)).toEqual([alpha.organizationId])
    expect(await ids(bravo.email.split('@')[0]!.toUpperCase())).toEqual([bravo.organizationId])
    // LIKE's wildcards are plain characters in a search.
    const percent = await business(`${t} 50% Off Windows`, { createdAt: '2026-03-01T00:00:00.000Z' })
    await business(`${t} 500 Windows`, { createdAt: '2026-03-01T00:00:00.000Z' })
    expect(await ids(`${t} 50%`)).toEqual([percent.organizationId])
    expect(await ids(`${t}_`)).toEqual([])
  })

  it('filters by plan (id or name), engagement and signup dates, inclusive', async () => {
    const ops = await signInOperator()
    const { t, alpha, bravo, charlie, delta } = await seedFour()
    const ids = async (filters: string) =>
      (await (await ops.api('GET', `/admin/api/organizations?q=${t}&sort=name&${filters}`)).json<Page>()).items.map(
        (o) => o.organization_id,
      )
    expect(await ids('plan=plan_pro')).toEqual([alpha.organizationId])
    expect(await ids('plan=free')).toEqual([charlie.organizationId, delta.organizationId])
    expect(await ids('plan=Starter')).toEqual([bravo.organizationId])
    expect(await ids('engagement=at_risk')).toEqual([bravo.organizationId])
    expect(await ids('engagement=dormant')).toEqual([charlie.organizationId])
    expect(await ids('signup_from=2026-01-20&signup_to=2026-02-05')).toEqual([
      bravo.organizationId,
      charlie.organizationId,
    ])
    expect(await ids('signup_from=2026-02-06')).toEqual([delta.organizationId])
    expect(await ids('plan=plan_pro&engagement=dormant')).toEqual([])
    const bad = await ops.api('GET', '/admin/api/organizations?engagement=sleepy&signup_from=yesterday')
    expect(bad.status).toBe(400)
    expect((await bad.json<{ error: { issues: { path: string }[] } }>()).error.issues.map((i) => i.path)).toEqual([
      'engagement',
      'signup_from',
    ])
  })

  it('sorts on any column either way, and pages through a sort with its cursor', async () => {
    const ops = await signInOperator()
    const { t, alpha, bravo, charlie, delta } = await seedFour()
    const ids = async (query: string) =>
      (await (await ops.api('GET', `/admin/api/organizations?q=${t}&${query}`)).json<Page>()).items.map(
        (o) => o.organization_id,
      )
    const [a, b, c, d] = [alpha, bravo, charlie, delta].map((o) => o.organizationId)
    // Newest signup first by default; names without regard to case.
    expect(await ids('')).toEqual([d, c, b, a])
    expect(await ids('sort=name&dir=desc')).toEqual([d, c, b, a])
    expect(await ids('sort=mrr_cents&dir=desc')).toEqual([a, b, ...[c, d].sort().reverse()])
    expect(await ids('sort=ltv_cents&dir=asc')).toEqual([d, b, c, a])
    expect(await ids('sort=engagement&dir=asc')).toEqual([a, b, c, d])
    expect(await ids('sort=last_sign_in_at&dir=desc&limit=1')).toEqual([a])

    // Two at a time, by clients descending: the pages join up to the whole list.
    const first = await (
      await ops.api('GET', `/admin/api/organizations?q=${t}&sort=clients&dir=desc&limit=2`)
    ).json<Page>()
    const second = await (
      await ops.api('GET', `/admin/api/organizations?q=${t}&sort=clients&dir=desc&limit=2&cursor=${first.next_cursor}`)
    ).json<Page>()
    expect(second.next_cursor).toBeNull()
    expect([...first.items, ...second.items].map((o) => o.organization_id)).toEqual(await ids('sort=clients&dir=desc'))
    // A cursor is only good for the sort it came from.
    const mixed = await ops.api('GET', `/admin/api/organizations?q=${t}&sort=name&limit=2&cursor=${first.next_cursor}`)
    expect(mixed.status).toBe(400)
    expect((await ops.api('GET', '/admin/api/organizations?sort=password_hash')).status).toBe(400)
  })

  it('exports the same columns as CSV with a header, quoting what needs it', async () => {
    const ops = await signInOperator()
    const t = `zq${unique()}`
    const joe = await business(`Joe's "Best", Inc. ${t}`, {
      createdAt: '2026-01-02T03:04:05.000Z',
      signedIn: '2026-01-05T00:00:00.000Z',
      plan: { id: 'plan_starter', status: 'active', mrr: 4900 },
      metrics: { engagement: 'active', clients: 7, jobs: 2, messages: 9, ltv: 123_456 },
    })
    const formula = await business(`=HYPERLINK("x") ${t}`, { createdAt: '2026-01-03T00:00:00.000Z' })
    const res = await ops.get(`/admin/api/organizations?q=${t}&sort=created_at&dir=asc&format=csv`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="homebase-businesses-\d{4}-\d{2}-\d{2}\.csv"$/,
    )
    const csv = await res.text()
    // The same file under its own name.
    const named = await ops.get(`/admin/api/organizations.csv?q=${t}&sort=created_at&dir=asc`)
    expect(named.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(await named.text()).toBe(csv)
    expect(csv).toBe(
      [
        'organization_id,name,created_at,owner_email,last_sign_in_at,plan,subscription_status,mrr_cents,ltv_cents,clients,jobs_30d,messages_30d,engagement',
        `${joe.organizationId},"Joe's ""Best"", Inc. ${t}",2026-01-02T03:04:05.000Z,${joe.email},2026-01-05T00:00:00.000Z,Starter,active,4900,123456,7,2,9,active`,
        // A name a spreadsheet would run as a formula is written as text.
        `${formula.organizationId},"'=HYPERLINK(""x"") ${t}",2026-01-03T00:00:00.000Z,${formula.email},,Free,,0,0,0,0,0,`,
        '',
      ].join('\r\n'),
    )
  })
})

describe('the businesses table at /admin', () => {
  it('shows the headline, the filters, sort links and the table; htmx gets the table alone', async () => {
    const ops = await signInOperator()
    const { t, alpha } = await seedFour()
    const page = await (await ops.get(`/admin?q=${t}&engagement=active`)).text()
    for (const id of [
      'tile-organizations',
      'tile-subscriptions',
      'tile-mrr',
      'tile-churn',
      'chart-mrr',
      'chart-signups',
      'chart-churn',
    ])
      expect(page).toContain(`data-testid="${id}"`)
    expect(page).toContain(`href="/admin/organizations/${alpha.organizationId}"`)
    expect(page).toContain(`value="${t}"`)
    expect(page).toContain('<option value="active" selected="">Active</option>')
    // Sort links keep the filters; the CSV link exports what the table shows.
    expect(page).toContain(`href="/admin?q=${t}&amp;engagement=active&amp;sort=mrr_cents&amp;dir=desc"`)
    expect(page).toContain(`href="/admin/api/organizations?q=${t}&amp;engagement=active&amp;format=csv"`)
    expect(page).toContain('action="/admin/metrics/refresh"')

    const swap = await ops.get(`/admin?q=${t}&sort=name`, { 'hx-request': 'true' })
    expect(swap.headers.get('vary')).toContain('HX-Request')
    const part = await swap.text()
    expect(part.startsWith('<div id="businesses">')).toBe(true)
    expect(part).not.toContain('<html')
    expect(part).toContain('aria-sort="ascending"')
  })

  it('loads more rows in place with htmx, and as the next page without JavaScript', async () => {
    const ops = await signInOperator()
    const { t, alpha, bravo, charlie, delta } = await seedFour()
    const link = (o: TestOrg) => `href="/admin/organizations/${o.organizationId}"`
    // Newest first, two to a page: delta and charlie, then bravo and alpha.
    const page = await (await ops.get(`/admin?q=${t}&limit=2`)).text()
    expect(page).toContain(link(delta))
    expect(page).toContain(link(charlie))
    expect(page).not.toContain(link(bravo))
    const more = page.match(/href="(\/admin\?q=[^"]+cursor=[^"]+)"/)?.[1]?.replaceAll('&amp;', '&')
    expect(more).toBeDefined()
    const rows = await (await ops.get(more!.replace('/admin?', '/admin/organizations/rows?'))).text()
    expect(rows.startsWith('<tr')).toBe(true)
    expect(rows).toContain(link(bravo))
    expect(rows).toContain(link(alpha))
    expect(rows).not.toContain(link(delta))
    expect(rows).not.toContain('Show more')
    const next = await (await ops.get(more!)).text()
    expect(next).toContain('<html')
    expect(next).toContain(link(alpha))
    expect(next).not.toContain(link(delta))
  })
})
