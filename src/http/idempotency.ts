/**
 * `Idempotency-Key` on POSTs under /api/v1 (API.md, "Limits and retries"). The first request with a
 * key claims it in D1 with one atomic upsert, so exactly one of any number of duplicates runs; its
 * answer (2xx or 4xx) is kept 24 hours and replayed to the same request; a different request with
 * the key is a 409; a duplicate arriving while the first runs waits for it, then gets a 409.
 */
import { hex } from '../encoding'
import { clock } from '../clock'
import { and, eq, lte } from 'drizzle-orm'
import { createMiddleware } from 'hono/factory'
import { peopleDb, type PeopleDb } from '../db'
import type { AppEnv } from '../env'
import { AppError, invalidInput } from '../errors'
import { idempotencyKeys } from '../people/schema'

/** How long an answer is replayed. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000
/** How long a claim holds while its request runs; a request that died frees its key after this. */
const RUNNING_LEASE_MS = 5 * 60_000
/** Pauses of a duplicate waiting for the first request to finish (about 5 s in all). */
const WAITS_MS = [
  20, 40, 80, 160, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250,
]

const KEY = /^[\x21-\x7e]{1,255}$/

type Stored = typeof idempotencyKeys.$inferSelect

/** Claims the key for this request: true when it was free, expired or its claim lapsed. */
export async function claimKey(
  db: PeopleDb,
  organizationId: string,
  key: string,
  requestHash: string,
  now: Date,
): Promise<boolean> {
  const claimedAt = now.toISOString()
  const claim = {
    requestHash,
    status: 'running' as const,
    responseStatus: null,
    responseBody: null,
    createdAt: claimedAt,
    expiresAt: new Date(now.getTime() + RUNNING_LEASE_MS).toISOString(),
  }
  const won = await db
    .insert(idempotencyKeys)
    .values({ organizationId, key, ...claim })
    .onConflictDoUpdate({
      target: [idempotencyKeys.organizationId, idempotencyKeys.key],
      set: claim,
      setWhere: lte(idempotencyKeys.expiresAt, claimedAt),
    })
    .returning({ key: idempotencyKeys.key })
  return won.length === 1
}

const ours = (organizationId: string, key: string, claimedAt: string) =>
  and(
    eq(idempotencyKeys.organizationId, organizationId),
    eq(idempotencyKeys.key, key),
    eq(idempotencyKeys.createdAt, claimedAt),
  )

/** Keeps the answer of the request that claimed the key at `claimedAt`, for 24 hours from then. */
export async function keepAnswer(
  db: PeopleDb,
  organizationId: string,
  key: string,
  claimedAt: string,
  status: number,
  body: string,
): Promise<void> {
  const expiresAt = new Date(Date.parse(claimedAt) + IDEMPOTENCY_TTL_MS).toISOString()
  await db
    .update(idempotencyKeys)
    .set({ status: 'done', responseStatus: status, responseBody: body, expiresAt })
    .where(ours(organizationId, key, claimedAt))
    .run()
}

/** Frees a claim whose request failed on our side, so a retry runs it again. */
export async function releaseKey(db: PeopleDb, organizationId: string, key: string, claimedAt: string): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(ours(organizationId, key, claimedAt))
    .run()
}

/** Deletes keys past their 24 hours (and claims of requests that died); the cron calls it. */
export async function deleteExpiredIdempotencyKeys(db: PeopleDb, now: Date): Promise<number> {
  return (
    await db
      .delete(idempotencyKeys)
      .where(lte(idempotencyKeys.expiresAt, now.toISOString()))
      .returning({ key: idempotencyKeys.key })
  ).length
}

/** What identifies a request: SHA-256 of its method, path with query, and body bytes (read from a copy). */
async function requestHash(request: Request): Promise<string> {
  const url = new URL(request.url)
  const head = new TextEncoder().encode(`${request.method} ${url.pathname}${url.search}\n`)
  const body = new Uint8Array(await request.clone().arrayBuffer())
  const bytes = new Uint8Array(head.length + body.length)
  bytes.set(head)
  bytes.set(body, head.length)
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return hex(digest)
}

/** Pauses before each further try of keeping an answer D1 refused. */
const SETTLE_RETRY_MS = [500, 2_000, 5_000]

/** Keeps (or frees) a key after the answer went out, trying again while D1 refuses. */
async function settleLater(settle: () => Promise<unknown>, key: string): Promise<void> {
  for (const pause of SETTLE_RETRY_MS) {
    await new Promise((resolve) => setTimeout(resolve, pause))
    try {
      await settle()
      return
    } catch (error) {
      console.error('idempotency: still could not keep the answer of key', key, error)
    }
  }
}

/** An answer that may be kept: not ours to blame (5xx) and not one that asks to retry later (429). */
const keepable = (status: number) => status < 500 && status !== 429

/** The middleware, mounted after the API key resolved the organization. */
export const idempotency = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header('idempotency-key')
  if (c.req.method !== 'POST' || key === undefined) return next()
  if (!KEY.test(key))
    throw invalidInput([{ path: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' }])
  const db = peopleDb(c.env.PEOPLE)
  const organizationId = c.get('organization').id
  const hash = await requestHash(c.req.raw)

  for (let attempt = 0; ; attempt++) {
    const now = clock.now()
    if (await claimKey(db, organizationId, key, hash, now)) {
      const claimedAt = now.toISOString()
      try {
        await next()
      } catch (error) {
        await releaseKey(db, organizationId, key, claimedAt)
        throw error
      }
      // The request's work is done: D1 failing to keep (or free) the key must not turn its answer into
      // a 500, which the client would retry (and, once the claim lapsed, do the work twice).
      // It is tried again after the answer (0.5 s, 2 s, 5 s), so a short D1 outage does not leave the
      // key claimed until the claim lapses and a retry does the work again.
      const body = keepable(c.res.status) ? await c.res.clone().text() : null
      const status = c.res.status
      const settle = () =>
        body !== null
          ? keepAnswer(db, organizationId, key, claimedAt, status, body)
          : releaseKey(db, organizationId, key, claimedAt)
      await settle().catch((error) => {
        console.error('idempotency: could not keep the answer of key, will try again', key, error)
        c.executionCtx.waitUntil(settleLater(settle, key))
      })
      return
    }
    const row: Stored | undefined = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.organizationId, organizationId), eq(idempotencyKeys.key, key)))
      .get()
    if (row && row.requestHash !== hash) {
      throw new AppError(
        409,
        'idempotency_key_reused',
        'This Idempotency-Key was used for a different request in the last 24 hours. Use a new key.',
      )
    }
    if (row?.status === 'done') return replay(row)
    // Still running (or freed a moment ago: then the next claim wins).
    if (attempt >= WAITS_MS.length) {
      throw new AppError(
        409,
        'idempotency_in_progress',
        'A request with this Idempotency-Key is still running. Retry in a moment.',
        undefined,
        1,
      )
    }
    if (row) await new Promise((resolve) => setTimeout(resolve, WAITS_MS[attempt]))
  }
})

/** The first request's answer again, as it was given. */
function replay(row: Stored): Response {
  const body = row.responseBody ? row.responseBody : null
  return new Response(body, {
    status: row.responseStatus ?? 200,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), 'idempotent-replayed': 'true' },
  })
}
