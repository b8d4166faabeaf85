/**
 * Who may take a business's data: its owners and admins. On the API that is a key made by someone
 * who is still an owner or admin of the business (a key outlives a demotion; its reach does not).
 */
import { and, eq, isNull } from 'drizzle-orm'
import type { Context } from 'hono'
import { sha256Hex } from '../auth/crypto'
import { peopleDb } from '../db'
import type { AppEnv } from '../env'
import { forbidden } from '../errors'
import { apiKeys, memberships } from '../people/schema'

const MAY_EXPORT = new Set(['owner', 'admin'])

/** Throws 403 unless the caller's API key was made by a current owner or admin of its business. */
export async function requireKeyOfManager(c: Context<AppEnv>): Promise<void> {
  const key = c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? c.req.header('apikey')
  if (!key) throw forbidden('Only owners and admins may export or import the business.')
  const row = await peopleDb(c.env.PEOPLE)
    .select({ role: memberships.role })
    .from(apiKeys)
    .innerJoin(
      memberships,
      and(eq(memberships.accountId, apiKeys.createdBy), eq(memberships.organizationId, apiKeys.organizationId)),
    )
    .where(
      and(
        eq(apiKeys.keyHash, await sha256Hex(key)),
        eq(apiKeys.organizationId, c.get('organization').id),
        // Read fresh, not from the 5 s key cache: a revoked key takes nothing out.
        isNull(apiKeys.revokedAt),
      ),
    )
    .get()
  if (!row || !MAY_EXPORT.has(row.role)) throw forbidden('Only owners and admins may export or import the business.')
}
