import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { Env } from '../src/env'
import worker from '../src/index'
import { Staff } from './helpers/browserless'
import { createOrg } from './helpers/factories'

describe('the minute Cron Trigger', () => {
  it('deletes sessions past their expiry and keeps live ones', async () => {
    const org = await createOrg()
    const live = new Staff()
    await live.post('/login', { email: org.email, password: org.password })
    const expiredId = `expired-${crypto.randomUUID()}`
    await env.PEOPLE.prepare(
      'insert into sessions (id, account_id, organization_id, csrf_token, expires_at) values (?, ?, ?, ?, ?)',
    )
      .bind(expiredId, org.userId, org.organizationId, 'x', '2020-01-01T00:00:00.000Z')
      .run()

    const ctx = createExecutionContext()
    await (worker as ExportedHandler<Env>).scheduled!(
      createScheduledController({ scheduledTime: Date.now(), cron: '* * * * *' }),
      env,
      ctx,
    )
    await waitOnExecutionContext(ctx)

    expect(await env.PEOPLE.prepare('select id from sessions where id = ?').bind(expiredId).first()).toBeNull()
    expect((await live.get('/app')).status).toBe(200)
  })

  it('deletes idempotency keys past their 24 hours and keeps live ones', async () => {
    const org = await createOrg()
    const insert = env.PEOPLE.prepare(
      'insert into idempotency_keys (organization_id, key, request_hash, status, response_status, response_body, expires_at) values (?, ?, ?, ?, ?, ?, ?)',
    )
    await insert.bind(org.organizationId, 'old', 'h', 'done', 201, '{}', '2020-01-01T00:00:00.000Z').run()
    await insert
      .bind(org.organizationId, 'live', 'h', 'done', 201, '{}', new Date(Date.now() + 3_600_000).toISOString())
      .run()

    const ctx = createExecutionContext()
    await (worker as ExportedHandler<Env>).scheduled!(
      createScheduledController({ scheduledTime: Date.now(), cron: '* * * * *' }),
      env,
      ctx,
    )
    await waitOnExecutionContext(ctx)

    const keys = await env.PEOPLE.prepare('select key from idempotency_keys where organization_id = ?')
      .bind(org.organizationId)
      .all<{ key: string }>()
    expect(keys.results.map((k) => k.key)).toEqual(['live'])
  })
})
