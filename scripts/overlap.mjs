// `node scripts/overlap.mjs`: a cron tick overlapping in-flight work, against a local `wrangler dev`.
// ORGS businesses each book JOBS jobs through the API whose 2-hour reminders fall due at one minute
// (with SPLIT=60, half of them a minute later); tick 1 at the due time; tick 2 GAP seconds later,
// while the sends are still going out; then a ROWS-row CSV import, polled until done (or WAIT s).
// PROBE=n times three requests a second for n s after tick 1. Exits 1 when the import does not finish.
// The vitest scenario (tests/queues.overlap.test.ts) is the small, standing version of this.
// Reading its output: under this load the local dev server has been seen holding one request for
// minutes before it reached the Worker (its first middleware logged it only when another connection
// came in), while the queues went on and the import was long done. A progress poll that stops
// printing is that, not a stalled queue: the QUEUE lines in the log tell which.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { applyMigrations, freePort, localDefaults, startWorker } from './lib/dev-server.mjs'

const ORGS = Number(process.env.ORGS ?? 100),
  JOBS = Number(process.env.JOBS ?? 100),
  ROWS = Number(process.env.ROWS ?? 20000)
const dataDir = mkdtempSync(join(tmpdir(), 'homebase-overlap-'))
applyMigrations(dataDir)
const port = await freePort()
const server = await startWorker({ port, dataDir, quiet: !process.env.VERBOSE, vars: localDefaults() })
const base = `http://127.0.0.1:${port}`
const t0 = Date.now()
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a)
async function call(method, path, key, body, type = 'application/json') {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), 'content-type': type },
    body: body === undefined ? undefined : type === 'application/json' ? JSON.stringify(body) : body,
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return res.json()
}
async function pool(n, items, fn) {
  let i = 0
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length) {
        const k = i++
        await fn(items[k], k)
      }
    }),
  )
}
const seedMinutes = Number(process.env.SEED_MIN ?? 6)
const due = new Date(Math.ceil((Date.now() + seedMinutes * 60_000) / 60_000) * 60_000)
const startOf = (i) =>
  new Date(due.getTime() + 2 * 3600_000 + (i % 2) * Number(process.env.SPLIT ?? 0) * 1000).toISOString()
const keys = []
await pool(
  8,
  Array.from({ length: ORGS }, (_, i) => i),
  async (i) => {
    const o = await call('POST', '/api/v1/signup', null, {
      email: `o${i}@overlap.example`,
      password: 'overlap password 1',
      organization_name: `Org ${i}`,
    })
    await call('PATCH', '/api/v1/organization', o.api_key, { quiet_hours: { start: '00:00', end: '00:00' } })
    keys[i] = o.api_key
  },
)
log('orgs ready')
const work = keys.flatMap((k, i) => Array.from({ length: JOBS }, (_, j) => [k, i, j]))
await pool(8, work, ([k, i, j]) =>
  call('POST', '/api/v1/jobs', k, {
    client: { first_name: `C${j}`, phone: `+1212${200 + i}${String(j).padStart(4, '0')}` },
    start_at: startOf(i),
  }),
)
log('jobs ready; due at', due.toISOString())
while (Date.now() < due.getTime() + 1000) await new Promise((r) => setTimeout(r, 500))
await fetch(`${base}/__scheduled?cron=*+*+*+*+*`)
log('tick 1')
if (process.env.PROBE) {
  const probe = async (name, url, headers = {}) => {
    const t = Date.now()
    const r = await fetch(`${base}${url}`, { headers })
    await r.text()
    return `${name} ${r.status} ${Date.now() - t}ms`
  }
  const until = Date.now() + Number(process.env.PROBE) * 1000
  while (Date.now() < until) {
    const out = await Promise.all([
      probe('d1-only', '/api/v1/clients', { authorization: 'Bearer hb_nope' }),
      probe('org-api', '/api/v1/organization', { authorization: `Bearer ${keys[1]}` }),
      probe('healthz', '/healthz'),
    ])
    log('probe', out.join(' | '))
    await new Promise((r) => setTimeout(r, 1000))
  }
}
await new Promise((r) => setTimeout(r, Number(process.env.GAP ?? 20) * 1000))
await fetch(`${base}/__scheduled?cron=*+*+*+*+*`)
log('tick 2')
const csv = [
  'first_name,last_name,email,phone',
  ...Array.from({ length: ROWS }, (_, i) => `F${i},L${i},r${i}@imp.example,+1213${5000000 + i}`),
].join('\n')
const imp = await call('POST', '/api/v1/clients/import', keys[0], csv, 'text/csv')
log('import posted', imp.import_id)
const deadline = Date.now() + Number(process.env.WAIT ?? 300) * 1000
let last
while (Date.now() < deadline) {
  last = await call('GET', `/api/v1/imports/${imp.import_id}`, keys[0])
  if (last.status === 'done' || last.status === 'failed') break
  await new Promise((r) => setTimeout(r, 5000))
  log('import', last.status, last.done, '/', last.total)
}
log('import final', JSON.stringify(last).slice(0, 200))
await server.stop()
process.exit(last?.status === 'done' ? 0 : 1)
