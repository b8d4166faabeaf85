/** OAuth `state` values (D1 oauth_states): random, single use, ten minutes, bound to one staff session. */
import { clock } from '../clock'
import { and, eq, lt } from 'drizzle-orm'
import { randomToken } from '../auth/crypto'
import type { PeopleDb } from '../db'
import { oauthStates } from '../people/schema'

export const STATE_TTL_MS = 10 * 60_000

export type OAuthState = typeof oauthStates.$inferSelect

/** Issues a state for a connect started by `sessionId`; expired ones are swept on the way. */
export async function issueState(
  db: PeopleDb,
  s: { organizationId: string; sessionId: string; provider: string; connectionId: string },
  now = clock.now(),
): Promise<string> {
  const state = randomToken(32)
  await db.batch([
    db.delete(oauthStates).where(lt(oauthStates.expiresAt, now.toISOString())),
    db.insert(oauthStates).values({ state, ...s, expiresAt: new Date(now.getTime() + STATE_TTL_MS).toISOString() }),
  ])
  return state
}

/**
 * Consumes a state: only the session and organization that issued it can, only once, and only
 * before it expires. Another session's attempt leaves the state in place for its owner.
 */
export async function takeState(
  db: PeopleDb,
  state: string,
  session: { id: string; organizationId: string },
  now = clock.now(),
): Promise<OAuthState | null> {
  const [row] = await db
    .delete(oauthStates)
    .where(
      and(
        eq(oauthStates.state, state),
        eq(oauthStates.sessionId, session.id),
        eq(oauthStates.organizationId, session.organizationId),
      ),
    )
    .returning()
  return row && row.expiresAt > now.toISOString() ? row : null
}
