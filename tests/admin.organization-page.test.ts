import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { events, jobs } from '../durable-objects/org/schema'
import { computeOrgMetrics } from '../src/platform/metrics-job'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'
import { signInOperator } from './helpers/operator'
import { DAY_MS, inOrg, seedBusiness } from './helpers/platform'
import { teammate } from './helpers/team'

/** A ticket as the support desk stores it. */
async function ticket(org: TestOrg, subject: string): Promise<string> {
  const id = crypto.randomUUID()
  await env.PEOPLE.prepare(
    'insert into support_tickets (id, organization_id, opened_by, subject, body, priority) values (?, ?, ?, ?, ?, ?)',
  )
    .bind(id, org.organizationId, org.userId, subject, 'Please help', 'high')
    .run()
  return id
}

describe('a business in the console: /admin/organizations/{id}', () => {
  it('shows its owner, team, plan and history, usage, activity per week and tickets', async () => {
    const ops = await signInOperator()
    const now = new Date()
    const biz = await seedBusiness(
      {
        name: `Sunny Windows ${unique()}`,
        signedInDaysAgo: 3,
        clients: 2,
        jobs: [{ daysAgo: 2 }, { daysAgo: 9 }],
        messages: [1, 1, 15],
        subscription: { planId: 'plan_pro', status: 'active', mrrCents: 9900, periodEndDaysAhead: 10 },
        history: [
          { daysAgo: 40, planId: 'plan_starter', status: 'active', mrrCents: 4900 },
          { daysAgo: 20, planId: 'plan_pro', status: 'active', mrrCents: 9900 },
        ],
      },
      now,
    )
    await api(biz, 'PATCH', `/api/v1/team/${biz.userId}`, { name: 'Olive Owner' })
    await teammate(biz, { name: 'Tess Tech' })
    const mine = await ticket(biz, 'Invoices do not send')
    const stranger = await createOrg()
    await ticket(stranger, 'Someone else entirely')
    await computeOrgMetrics(env, {
      type: 'metrics',
      organization_ids: [biz.organizationId],
      at: now.toISOString(),
      expected_months: 36,
    })

    const res = await ops.get(`/admin/organizations/${biz.organizationId}`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain(biz.email)
    expect(html).toContain('Olive Owner')
    expect(html).toContain('Tess Tech')
    expect(html).toMatch(/data-testid="plan">Pro · active/)
    // History newest first: Pro, then Starter.
    expect(html.indexOf('$99.00', html.indexOf('plan-history'))).toBeLessThan(
      html.indexOf('$49.00', html.indexOf('plan-history')),
    )
    expect(html).toContain(`href="/admin/tickets/${mine}"`)
    expect(html).toContain('Invoices do not send')
    expect(html).not.toContain('Someone else entirely')
    expect(html).toContain('data-testid="chart-jobs"')
    // Usage now and as last computed: 2 clients, 2 jobs, 3 messages in 30 days.
    const usage = html.slice(
      html.indexOf('data-testid="usage"'),
      html.indexOf('</table>', html.indexOf('data-testid="usage"')),
    )
    expect(usage.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).toContain(
      'Clients 2 2 Jobs in 30 days 2 2 Messages in 30 days 3 3',
    )
  })

  it('answers 404 for an id that names no business', async () => {
    const ops = await signInOperator()
    expect((await ops.get(`/admin/organizations/${crypto.randomUUID()}`)).status).toBe(404)
    expect((await ops.get('/admin/organizations/%27%20or%201=1--')).status).toBe(404)
  })
})

describe("an operator never sees a business's clients' private data", () => {
  it('keeps client names, contacts, notes and message words out of every console page, JSON and CSV', async () => {
    const ops = await signInOperator()
    const biz = await createOrg({ organization_name: `Private Co ${unique()}` })
    const client = await createClient(biz, {
      first_name: 'Zed',
      last_name: 'Private',
      email: 'zed.private@example.com',
      phone: '(415) 555-0199',
      notes: 'Gate code 4471 under the mat',
    })
    await inOrg(biz, (host) => {
      const at = new Date(Date.now() - DAY_MS).toISOString()
      host.db
        .insert(jobs)
        .values({ id: crypto.randomUUID(), orgClientId: client.org_client_id, startAt: at, notes: 'Alarm 9911' })
        .run()
      host.db
        .insert(events)
        .values({
          id: crypto.randomUUID(),
          type: 'message',
          orgClientId: client.org_client_id,
          data: { channel: 'sms', direction: 'inbound', body: 'The spare key is in the shed' },
          createdAt: at,
        })
        .run()
    })
    await computeOrgMetrics(env, {
      type: 'metrics',
      organization_ids: [biz.organizationId],
      at: new Date().toISOString(),
      expected_months: 36,
    })
    const pages = [
      '/admin',
      '/admin?q=Private',
      `/admin/organizations/${biz.organizationId}`,
      '/admin/api/organizations?q=Private',
      '/admin/api/organizations?q=Private&format=csv',
      '/admin/api/metrics',
      '/admin/plans',
    ]
    for (const path of pages) {
      const res = await ops.get(path)
      expect(res.status, path).toBe(200)
      const body = await res.text()
      // The business is there (its name holds "Private"), its client's data is not.
      if (path.includes('Private') || path.includes('organizations/')) expect(body, path).toContain('Private Co')
      for (const secret of ['Zed', 'zed.private', '555-0199', '5550199', '4471', '9911', 'spare key'])
        expect(body, `${path} shows ${secret}`).not.toContain(secret)
    }
    const page = await (await ops.get(`/admin/organizations/${biz.organizationId}`)).text()
    expect(page.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).toContain(
      'Clients 1 1 Jobs in 30 days 1 1 Messages in 30 days 1 1',
    )
  })
})
