/**
 * A large business leaves in pages: its clients and cards are written straight into its object,
 * then both exports are read as streams, a chunk at a time, and counted. The object is asked for
 * 500 rows at a time, so neither the object nor the Worker holds the whole business at once.
 */
import { env, runInDurableObject } from 'cloudflare:test'
import { unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { orgStub } from '../src/organizations'
import { api, createOrg } from './helpers/factories'

/** Clients in the business (the README names the largest size this was run at). */
const CLIENTS = 20_000

async function seed(organizationId: string, n: number) {
  await runInDurableObject(orgStub(env, organizationId), (_, state) => {
    state.storage.sql.exec(
      `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)
      insert into contacts (person_id, first_name, last_name, primary_email, emails, phones, version, provenance)
      select 'p' || i, 'First' || i, 'Last' || i, 'c' || i || '@example.com', json_array('c' || i || '@example.com'), '[]', 1, '{}' from n`,
      n,
    )
    state.storage.sql.exec(
      `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)
      insert into org_clients (id, person_id, status, tags, notes) select 'c' || i, 'p' || i, 'active', '["vip"]', '[]' from n`,
      n,
    )
  })
}

/** Reads a body chunk by chunk, counting bytes and newlines without keeping it (or keeping it when asked). */
async function drain(body: ReadableStream<Uint8Array>, keep = false) {
  let bytes = 0
  let lines = 0
  const parts: Uint8Array[] = []
  for await (const chunk of body) {
    bytes += chunk.byteLength
    for (const b of chunk) if (b === 10) lines++
    if (keep) parts.push(chunk)
  }
  return { bytes, lines, parts }
}

describe('exporting a large business', () => {
  it(`streams ${CLIENTS} clients as JSON and as a zip`, { timeout: 300_000 }, async () => {
    const org = await createOrg()
    await seed(org.organizationId, CLIENTS)

    let started = Date.now()
    const json = await api(org, 'GET', '/api/v1/export.json')
    expect(json.status).toBe(200)
    const read = await drain(json.body!)
    const jsonMs = Date.now() - started
    // One line per client and per card, and the rest of the document.
    expect(read.lines).toBeGreaterThanOrEqual(2 * CLIENTS)

    started = Date.now()
    const zip = await api(org, 'GET', '/api/v1/export.zip')
    expect(zip.status).toBe(200)
    const zipped = await drain(zip.body!, true)
    const zipMs = Date.now() - started
    const all = new Uint8Array(zipped.bytes)
    let at = 0
    for (const p of zipped.parts) {
      all.set(p, at)
      at += p.byteLength
    }
    const clients = new TextDecoder().decode(unzipSync(all, { filter: (f) => f.name === 'clients.csv' })['clients.csv'])
    expect(clients.trimEnd().split('\r\n')).toHaveLength(CLIENTS + 1)
    console.log(
      `export of ${CLIENTS} clients: JSON ${(read.bytes / 1e6).toFixed(1)} MB in ${jsonMs} ms; zip ${(zipped.bytes / 1e6).toFixed(1)} MB in ${zipMs} ms`,
    )
  })
})
