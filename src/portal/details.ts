/**
 * A signed-in homeowner's own change of their details, sent to the providers they pick. A new
 * phone or email is proven first by a code sent to it (bound to the account); then each chosen
 * provider the account may see changes its own card, and the registry and the account record the
 * proven point.
 */
import type { AppliedChange, HomeownerChange } from '../../durable-objects/org/portal/details'
import { unwrap } from '../../durable-objects/org/result'
import type { PeopleDb } from '../db'
import type { Env } from '../env'
import { orgStub } from '../organizations'
import { accountPerson, addHomeownerPoint, provenPoints, recordProvenPoint } from './accounts'
import { checkPointCode, dropCode, issueCode, pointCodeLimits, type CodeCheck } from './codes'
import { codesCanGo, deliverPointCode } from './deliver-code'
import type { VisibleClient } from './history'
import { spend } from './limits'
import { portalOf } from './remote'

/** A phone or email of the change the account has not proved yet. */
export type NewPoint = { channel: 'sms' | 'email'; point: string }

/** The change's phone and email that are not among the account's proven points. */
export async function unprovenPoints(db: PeopleDb, accountId: string, change: HomeownerChange): Promise<NewPoint[]> {
  const proven = new Set(await provenPoints(db, accountId))
  const points: NewPoint[] = []
  if (change.phone && !proven.has(change.phone)) points.push({ channel: 'sms', point: change.phone })
  if (change.email && !proven.has(change.email)) points.push({ channel: 'email', point: change.email })
  return points
}

export type CodesSent = { sent: true } | { wait: number } | { failed: string; channel?: 'sms' | 'email' }

/** Sends a code to each new point, within the limits; `organizationId` is the first provider the change goes to. */
export async function sendPointCodes(
  env: Env,
  db: PeopleDb,
  accountId: string,
  points: NewPoint[],
  organizationId: string,
  ip: string,
): Promise<CodesSent> {
  const personId = await accountPerson(db, accountId)
  if (!personId || !env.PORTAL_SIGNING_KEY) return { failed: 'not_configured' }
  const off = points.find((p) => !codesCanGo(env, p.channel))
  if (off) return { failed: 'no_provider', channel: off.channel }
  for (const { channel, point } of points) {
    const wait = await spend(db, pointCodeLimits(accountId, point, ip))
    if (wait !== null) return { wait }
    const { id, code } = await issueCode(db, env.PORTAL_SIGNING_KEY, {
      personId,
      channel,
      destination: point,
      accountId,
    })
    const sent = await deliverPointCode(env, organizationId, channel, point, code, id)
    if ('skipped' in sent) {
      await dropCode(db, id)
      return { failed: sent.skipped }
    }
  }
  return { sent: true }
}

/**
 * Checks the code typed for each new point; each right one is recorded as proven by the account.
 * Returns the failed checks by channel (empty when every point is proven now).
 */
export async function provePoints(
  env: Env,
  db: PeopleDb,
  accountId: string,
  points: NewPoint[],
  typed: Partial<Record<'sms' | 'email', string>>,
): Promise<Partial<Record<'sms' | 'email', Extract<CodeCheck, { ok: false }>>>> {
  const personId = await accountPerson(db, accountId)
  const failed: Partial<Record<'sms' | 'email', Extract<CodeCheck, { ok: false }>>> = {}
  for (const { channel, point } of points) {
    const check =
      personId && env.PORTAL_SIGNING_KEY
        ? await checkPointCode(
            db,
            env.PORTAL_SIGNING_KEY,
            { personId, channel, destination: point, accountId },
            (typed[channel] ?? '').replace(/\s/g, ''),
          )
        : { ok: false as const, reason: 'missing' as const, triesLeft: 0 }
    if (check.ok) await recordProvenPoint(db, accountId, channel, point)
    else failed[channel] = check
  }
  return failed
}

/**
 * Sends the change to the chosen providers (from visibleClients), each changing its own card only
 * where that card holds a point the account proved; the registry's people then hold the new phone
 * or email, proven. Returns what each provider changed.
 */
export async function sendChange(
  env: Env,
  db: PeopleDb,
  accountId: string,
  change: HomeownerChange,
  chosen: VisibleClient[],
): Promise<Array<AppliedChange & { organization_id: string }>> {
  const points = await provenPoints(db, accountId)
  // A new phone or email reaches no card before the account proved it.
  if ((change.phone && !points.includes(change.phone)) || (change.email && !points.includes(change.email))) return []
  const applied = await Promise.all(
    chosen.map(async (v) => {
      const result = unwrap(
        await portalOf(orgStub(env, v.organizationId)).applyHomeownerChange(v.personId, points, change, accountId),
      )
      return result ? { ...result, organization_id: v.organizationId } : null
    }),
  )
  const done = applied.filter((a): a is AppliedChange & { organization_id: string } => a !== null)
  for (const personId of new Set(done.map((a) => a.person_id))) {
    if (change.phone) await addHomeownerPoint(db, personId, 'sms', change.phone)
    if (change.email) await addHomeownerPoint(db, personId, 'email', change.email)
  }
  return done
}
