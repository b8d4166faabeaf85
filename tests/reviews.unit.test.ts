import { env, runInDurableObject } from 'cloudflare:test'
import { eq } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/durable-sqlite'
import { describe, expect, it } from 'vitest'
import { listReviewRequests } from '../durable-objects/org/reviews/log'
import { createReviewRequest } from '../durable-objects/org/reviews/requests'
import { ratingsSummary } from '../durable-objects/org/reviews/stats'
import * as schema from '../durable-objects/org/schema'
import type { MessageStatus } from '../durable-objects/org/schema'
import { orgStub } from '../src/organizations'
import { canonicalQrCode, newQrCode } from '../src/reviews/qr-codes'
import { createOrg } from './helpers/factories'

/** Runs `fn` on a fresh organization's own storage. */
async function inOrg<T>(fn: (db: ReturnType<typeof drizzle<typeof schema>>) => T): Promise<T> {
  const org = await createOrg()
  return runInDurableObject(orgStub(env, org.organizationId), (_object, state) =>
    fn(drizzle(state.storage, { schema })),
  )
}

describe('review request status', () => {
  it('comes from the linked message until the link is opened, then is clicked', async () => {
    const cases: Array<[MessageStatus | null, boolean, string]> = [
      [null, false, 'scheduled'],
      ['queued', false, 'scheduled'],
      ['deferred', false, 'scheduled'],
      ['sent', false, 'sent'],
      ['delivered', false, 'delivered'],
      ['failed', false, 'failed'],
      ['skipped', false, 'failed'],
      ['delivered', true, 'clicked'],
      [null, true, 'clicked'],
    ]
    const { listed, failed } = await inOrg((db) => {
      const ids = cases.map(([messageStatus, opened], i) => {
        const id = `rr-${i}`
        createReviewRequest(db, { id, orgClientId: null, channel: 'sms' }, new Date(Date.UTC(2030, 0, 1, 0, i)))
        if (messageStatus) {
          db.insert(schema.messages)
            .values({
              id: `m-${i}`,
              dedupeKey: `m-${i}`,
              channel: 'sms',
              body: 'How did we do?',
              status: messageStatus,
              purpose: 'review_request',
              reviewRequestId: id,
            })
            .run()
          db.update(schema.reviewRequests)
            .set({ messageId: `m-${i}` })
            .where(eq(schema.reviewRequests.id, id))
            .run()
        }
        if (opened)
          db.update(schema.reviewRequests)
            .set({ openedAt: '2030-01-02T00:00:00.000Z', status: 'clicked' })
            .where(eq(schema.reviewRequests.id, id))
            .run()
        return id
      })
      const all = listReviewRequests(db, { limit: 50 })
      return {
        listed: ids.map((id) => all.find((r) => r.id === id)!.status),
        failed: listReviewRequests(db, { status: 'failed', limit: 50 })
          .map((r) => r.id)
          .sort(),
      }
    })
    expect(listed).toEqual(cases.map(([, , status]) => status))
    expect(failed).toEqual(['rr-5', 'rr-6'])
  })
})

describe('ratings summary', () => {
  it('groups ratings by tech and by month in the business’s time zone', async () => {
    const summary = await inOrg((db) => {
      db.insert(schema.techs).values({ id: 't1', name: 'Alex' }).run()
      const rate = (id: string, rating: number, ratedAt: string, techId: string | null) => {
        createReviewRequest(db, { id, orgClientId: null, channel: techId ? 'qr' : 'sms', techId })
        db.update(schema.reviewRequests).set({ rating, ratedAt }).where(eq(schema.reviewRequests.id, id)).run()
      }
      rate('a', 5, '2030-03-10T18:00:00.000Z', 't1')
      rate('b', 2, '2030-03-20T18:00:00.000Z', 't1')
      // 03:00 UTC on April 1 is still March 31 in New York.
      rate('c', 4, '2030-04-01T03:00:00.000Z', null)
      rate('d', 1, '2030-04-15T18:00:00.000Z', null)
      createReviewRequest(db, { id: 'unrated', orgClientId: null, channel: 'sms' })
      return ratingsSummary(db, 'America/New_York', new Date('2030-04-20T12:00:00Z'), 3)
    })
    expect(summary.by_month).toEqual([
      { month: '2030-02', ratings: 0, average: null },
      { month: '2030-03', ratings: 3, average: 11 / 3 },
      { month: '2030-04', ratings: 1, average: 1 },
    ])
    expect(summary.by_tech).toEqual(
      expect.arrayContaining([
        { tech_id: 't1', tech_name: 'Alex', ratings: 2, average: 3.5, low: 1 },
        { tech_id: null, tech_name: null, ratings: 2, average: 2.5, low: 1 },
      ]),
    )
  })
})

describe('QR short codes', () => {
  it('are 8 characters of Crockford base32 and read back the look-alikes a person may type', () => {
    const codes = new Set(Array.from({ length: 200 }, newQrCode))
    expect(codes.size).toBe(200)
    for (const code of codes) expect(canonicalQrCode(code)).toBe(code)
    expect(canonicalQrCode('ab1o2il3')).toBe('AB102113')
    expect(canonicalQrCode('ABCDEFGU')).toBeNull()
    expect(canonicalQrCode('ABC')).toBeNull()
  })
})
