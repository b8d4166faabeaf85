/**
 * CSV import rate: one file of BENCH_IMPORT_ROWS rows (50,000 by default) through
 * POST /api/v1/clients/import, the imports queue and the ORG object, until the import is done.
 * Run with `npm run bench`; `npm test` skips this file.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import worker from '../../src/index'
import { BASE, createOrg, type TestOrg } from '../helpers/factories'

const ROWS = Number(env.BENCH_IMPORT_ROWS ?? 50_000)
const TARGET_ROWS_PER_SECOND = 2000

type ImportState = {
  status: string
  total: number
  done: number
  failed: number
  created: number
  started_at: string | null
  finished_at: string | null
  created_at: string
}

/** A request through the Worker's own fetch handler (SELF.fetch slows down over long runs). */
async function request(org: TestOrg, method: string, path: string, body?: string): Promise<Response> {
  const ctx = createExecutionContext()
  const res = await worker.fetch(
    new Request(`${BASE}${path}`, {
      method,
      body,
      headers: { authorization: `Bearer ${org.apiKey}`, ...(body ? { 'content-type': 'text/csv' } : {}) },
    }) as Parameters<typeof worker.fetch>[0],
    env,
    ctx,
  )
  await waitOnExecutionContext(ctx)
  return res
}

/** Rows shaped like an export from another CRM: full name, email, phone, address, tags. */
function csv(rows: number): string {
  const lines = ['Name,Email,Phone,Address,City,State,Zip,Tags,Status']
  for (let i = 0; i < rows; i++) {
    const n = String(i).padStart(6, '0')
    lines.push(
      `"Client ${n}, Jr",client${n}@import.example,(212) 5${n.slice(0, 2)}-${n.slice(2)},${i} Main St,New York,NY,10001,"import; batch${i % 10}",${i % 5 ? 'active' : 'lead'}`,
    )
  }
  return lines.join('\r\n')
}

describe.skipIf(env.BENCH !== 'on')(`CSV import of ${ROWS.toLocaleString('en-US')} rows`, () => {
  it('imports every row and reports the rate', { timeout: 15 * 60_000 }, async (ctx) => {
    const org = await createOrg()
    const body = csv(ROWS)
    const uploadStart = Date.now()
    const res = await request(org, 'POST', '/api/v1/clients/import', body)
    expect(res.status).toBe(202)
    const { import_id } = await res.json<{ import_id: string }>()
    const accepted = Date.now() - uploadStart
    let state: ImportState
    for (;;) {
      state = await (await request(org, 'GET', `/api/v1/imports/${import_id}`)).json<ImportState>()
      if (state.status === 'done' || state.status === 'failed') break
      // The queue imports in real time: a short poll keeps "upload to done" within a quarter second.
      await new Promise((r) => setTimeout(r, 250))
    }
    const wall = (Date.now() - uploadStart) / 1000
    const processing = (Date.parse(state.finished_at!) - Date.parse(state.started_at!)) / 1000
    expect(state).toMatchObject({ status: 'done', total: ROWS, done: ROWS, failed: 0, created: ROWS })
    const result = {
      rows: ROWS,
      bytes: body.length,
      acceptMs: accepted,
      processingSeconds: processing,
      wallSeconds: wall,
      rowsPerSecond: ROWS / processing,
      wallRowsPerSecond: ROWS / wall,
      targetRowsPerSecond: TARGET_ROWS_PER_SECOND,
    }
    console.log(`import: ${JSON.stringify(result)}`)
    Object.assign(ctx.task.meta, { benchImport: result })
  })
})
