// The metrics job at 10,000 businesses against a local `wrangler dev` (bench/README.md, "The metrics job").
// Every business signs up through the API (its account, membership, API key and ORG object made as an
// owner's are; one in 50 also gets two clients and a visit), then, with the Worker stopped, its D1
// figures are written straight into local state (last sign-in, signup date, subscription and history).
// The Worker starts again with every object asleep on disk, as at 03:00, and an operator's
// "Recompute now" is timed until every business's row is in; then once more with the objects awake.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { applyMigrations, freePort, localDefaults, offlineEnv, root, startWorker } from './dev-server.mjs'

const DAY = 86_400_000
const OPERATOR = { email: 'ops@bench-metrics.example', password: 'operator password 1' }
/** Signups at once: each hashes a password, so two cores are busy with four. */
const SIGNUPS_AT_ONCE = 4
/** One business in this many gets clients and a visit in its object. */
const WITH_DATA_EVERY = 50
const LIMIT_MS = 30 * 60_000
const verbose = Boolean(process.env.BENCH_VERBOSE)

const iso = (ms) => new Date(ms).toISOString()
const emailOf = (i) => `owner-${i}@bench-metrics.example`

/**
 * The figures of business `i` (its owner's email numbers it), written to D1 with the Worker stopped:
 * a quarter signed in this week, a quarter this month, the rest long ago or never; three in five
 * paying, one in five canceled; signups spread over the last 400 days.
 */
function figuresSql(now) {
  const ago = (days) => `strftime('%Y-%m-%dT%H:%M:%fZ', '${iso(now)}', '-' || (${days}) || ' days')`
  return `
CREATE TABLE bench_owners AS
  SELECT cast(substr(a.email, 7, instr(a.email, '@') - 7) as integer) AS i, a.id AS account_id, m.organization_id
  FROM accounts a JOIN memberships m ON m.account_id = a.id WHERE a.email LIKE 'owner-%@bench-metrics.example';
UPDATE accounts SET last_sign_in_at = (
  SELECT CASE b.i % 4 WHEN 0 THEN ${ago(2)} WHEN 1 THEN ${ago(20)} WHEN 2 THEN ${ago(60)} END
  FROM bench_owners b WHERE b.account_id = accounts.id) WHERE id IN (SELECT account_id FROM bench_owners);
UPDATE organizations SET created_at = (SELECT ${ago('b.i % 400')} FROM bench_owners b WHERE b.organization_id = organizations.id)
  WHERE id IN (SELECT organization_id FROM bench_owners);
INSERT INTO subscriptions (organization_id, plan_id, status, mrr_cents)
  SELECT organization_id, CASE WHEN i % 2 = 1 THEN 'plan_pro' ELSE 'plan_starter' END, 'active',
    CASE WHEN i % 2 = 1 THEN 9900 ELSE 4900 END FROM bench_owners WHERE i % 5 < 3
  UNION ALL SELECT organization_id, 'plan_starter', 'canceled', 0 FROM bench_owners WHERE i % 5 = 3;
INSERT INTO subscription_history (id, organization_id, plan_id, status, mrr_cents, at)
  SELECT s.organization_id || '-h1', s.organization_id, s.plan_id, CASE s.status WHEN 'active' THEN 'trialing' ELSE 'active' END,
    CASE s.status WHEN 'active' THEN 0 ELSE 4900 END, ${ago(200)}
  FROM subscriptions s JOIN bench_owners b ON b.organization_id = s.organization_id
  UNION ALL SELECT s.organization_id || '-h2', s.organization_id, s.plan_id, s.status, s.mrr_cents, ${ago('b.i % 60')}
  FROM subscriptions s JOIN bench_owners b ON b.organization_id = s.organization_id;
DROP TABLE bench_owners;
`
}

/** A cookie kept by hand for the operator's session. */
function session(base) {
  let cookie = ''
  return {
    setBase(next) {
      base = next
    },
    async post(path, fields) {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams(fields).toString(),
      })
      const set = res.headers.get('set-cookie')
      if (set) cookie = set.split(';')[0]
      return res
    },
    get: (path, headers = {}) =>
      fetch(`${base}${path}`, { headers: { cookie, ...headers }, signal: AbortSignal.timeout(5_000) }),
    send: (method, path, headers = {}) =>
      fetch(`${base}${path}`, { method, headers: { cookie, origin: base, ...headers } }),
  }
}

/** One run of "Recompute now": the answer's time, then the run's progress polled until every business is in. */
async function timedRun(ops, token) {
  const started = performance.now()
  const res = await ops.send('POST', '/admin/api/metrics/refresh', { 'x-csrf-token': token })
  if (res.status !== 202) throw new Error(`refresh: ${res.status} ${await res.text()}`)
  const run = await res.json()
  const startMs = performance.now() - started
  if (run.already_running) throw new Error('a run was still going')
  let done = 0
  while (done < run.organizations && performance.now() - started < LIMIT_MS) {
    await new Promise((r) => setTimeout(r, 250))
    try {
      const since = encodeURIComponent(run.started_at)
      const part = await (await ops.get(`/admin/metrics/progress?since=${since}`, { 'hx-request': 'true' })).text()
      done = Number(/value="(\d+)"/.exec(part)?.[1] ?? 0)
      if (verbose) console.log(`  ${((performance.now() - started) / 1000).toFixed(1)} s: ${done}`)
    } catch {
      // A poll that waited behind the consumer's work: ask again.
    }
  }
  return { startMs, totalMs: performance.now() - started, done, total: run.organizations }
}

const worker = async (dataDir) =>
  startWorker({
    port: await freePort(),
    dataDir,
    quiet: !verbose,
    vars: { ...localDefaults(), PLATFORM_ADMINS: OPERATOR.email },
  })

/** Signs up `organizations` businesses, writes their figures, and times two runs of the job. */
export async function metricsAtScale({ organizations }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'homebase-bench-metrics-'))
  applyMigrations(dataDir)
  const seeded = performance.now()
  let server = await worker(dataDir)
  try {
    let base = server.url.replace('localhost', '127.0.0.1')
    const call = async (method, path, body, key) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
      return res.json()
    }
    const signUp = async (i) => {
      const org = await call('POST', '/api/v1/signup', {
        email: emailOf(i),
        password: 'bench password 1',
        organization_name: `Bench Business ${i}`,
      })
      if (i % WITH_DATA_EVERY !== 0) return
      const key = org.api_key
      const client = await call('POST', '/api/v1/clients', { first_name: 'Pat', email: `pat-${i}@example.com` }, key)
      await call('POST', '/api/v1/clients', { first_name: 'Sam', email: `sam-${i}@example.com` }, key)
      await call(
        'POST',
        '/api/v1/jobs',
        { org_client_id: client.org_client_id, start_at: iso(Date.now() - DAY), notify: false },
        key,
      )
    }
    for (let i = 0; i < organizations; i += SIGNUPS_AT_ONCE) {
      await Promise.all(Array.from({ length: Math.min(SIGNUPS_AT_ONCE, organizations - i) }, (_, k) => signUp(i + k)))
      if ((i + SIGNUPS_AT_ONCE) % 1000 === 0)
        console.log(`  ${i + SIGNUPS_AT_ONCE} signed up (${((performance.now() - seeded) / 1000).toFixed(0)} s)`)
    }
    await call('POST', '/api/v1/signup', { ...OPERATOR, organization_name: 'HomeBase Operations' })
    const ops = session(base)
    if ((await ops.post('/login', OPERATOR)).status !== 303) throw new Error('operator login failed')

    // The figures straight into D1 while the Worker is stopped; it starts again with every object asleep.
    await server.stop()
    const sqlFile = join(dataDir, 'figures.sql')
    writeFileSync(sqlFile, figuresSql(Date.now()))
    const exec = spawnSync(
      join(root, 'node_modules/.bin/wrangler'),
      ['d1', 'execute', 'people', '--local', '--persist-to', dataDir, '--file', sqlFile],
      { cwd: root, env: offlineEnv({ CI: 'true' }), encoding: 'utf8' },
    )
    if (exec.status !== 0) throw new Error(`writing the figures failed:\n${exec.stdout}\n${exec.stderr}`)
    server = await worker(dataDir)
    base = server.url.replace('localhost', '127.0.0.1')
    ops.setBase(base)
    const token = /name="_csrf" value="([^"]+)"/.exec(await (await ops.get('/admin/plans')).text())?.[1]
    if (!token) throw new Error('no CSRF token on /admin/plans')
    const seedSeconds = (performance.now() - seeded) / 1000

    console.log(
      `metrics: ${organizations + 1} businesses seeded in ${seedSeconds.toFixed(0)} s; the job, objects asleep`,
    )
    const asleep = await timedRun(ops, token)
    console.log(`  ${asleep.done} of ${asleep.total} in ${(asleep.totalMs / 1000).toFixed(1)} s; again, objects awake`)
    const awake = await timedRun(ops, token)
    console.log(`  ${awake.done} of ${awake.total} in ${(awake.totalMs / 1000).toFixed(1)} s`)

    // What the console shows afterwards: engagement across the platform (CSV lines less the header), and the businesses with data counted right.
    const engagement = {}
    for (const e of ['active', 'at_risk', 'dormant'])
      engagement[e] =
        (await (await ops.get(`/admin/api/organizations?format=csv&engagement=${e}`)).text()).trim().split('\n')
          .length - 1
    const withData = (await (await ops.get('/admin/api/organizations?sort=clients&dir=desc&limit=200')).json()).items
    const counted = withData.filter((o) => o.clients === 2 && o.jobs_30d === 1).length
    return {
      organizations: organizations + 1,
      seedSeconds,
      asleep,
      awake,
      withData: Math.ceil(organizations / WITH_DATA_EVERY),
      counted,
      engagement,
    }
  } finally {
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
