/**
 * The review funnel's techs as team members: each tech is linked to someone on the team (the name,
 * role and colour come from there), invited to it, or not on it yet. The team lives in the registry
 * (D1), the techs with their QR codes and ratings in the business's object.
 */
import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm'
import type { OrgObject } from '../../durable-objects/org/org-object'
import { unwrap } from '../../durable-objects/org/result'
import type { TechDetail } from '../../durable-objects/org/reviews/techs'
import { clock } from '../clock'
import { type PeopleDb, peopleDb } from '../db'
import type { Env } from '../env'
import { orgStub } from '../organizations'
import { invalidInput } from '../errors'
import { invites, type TeamRole } from '../people/schema'
import { inviteToTeam, listTeam, type TeamMember } from '../team'
import { reviews } from './remote'

/** A tech of the review funnel as the team shows them: on the team (role, colour, the team's name), invited, or not on it. */
export type TeamTech = TechDetail & {
  /** `team`: linked to a member; `invited`: an open invite to their email; `left`: linked to someone no longer on the team; `none`: not on the team yet. */
  team_status: 'team' | 'invited' | 'left' | 'none'
  role: TeamRole | null
  color: string | null
}

type OrgTechs = DurableObjectStub<OrgObject>

/** Every tech of the business with their place on the team; members with role `tech` are always among them. */
export async function listTeamTechs(db: PeopleDb, organizationId: string, org: OrgTechs): Promise<TeamTech[]> {
  const team = await listTeam(db, organizationId)
  await reviews(org).syncTeamTechs(team.map(({ user_id, email, name, role }) => ({ user_id, email, name, role })))
  return asTeamTechs(db, organizationId, team, await reviews(org).listTechs())
}

/**
 * Brings the techs in step with the team after someone joined or changed role, so a new tech's
 * reviews are credited to them from their first job.
 */
export async function refreshTeamTechs(env: Env, organizationId: string): Promise<void> {
  await listTeamTechs(peopleDb(env.PEOPLE), organizationId, orgStub(env, organizationId))
}

/** One tech with their place on the team, or null (another business's tech ids included). */
export async function getTeamTech(
  db: PeopleDb,
  organizationId: string,
  org: OrgTechs,
  id: string,
): Promise<TeamTech | null> {
  const tech = await reviews(org).getTech(id)
  if (!tech) return null
  return (await asTeamTechs(db, organizationId, await listTeam(db, organizationId), [tech]))[0]!
}

/**
 * Adds a tech: a member of this team (`user_id`, else 400), the member with this email, or someone
 * new invited to the team as a tech (with the invite link to send them). Neither email nor member:
 * a tech not on the team yet.
 */
export async function addTeamTech(
  db: PeopleDb,
  organizationId: string,
  org: OrgTechs,
  input: { name?: string | undefined; email?: string | null | undefined; user_id?: string | undefined },
  invitedBy: string | null,
  baseUrl: string,
): Promise<{ tech: TeamTech; invite_url: string | null }> {
  const team = await listTeam(db, organizationId)
  const member = input.user_id
    ? memberOrInvalid(team, input.user_id)
    : input.email
      ? team.find((m) => m.email.toLowerCase() === input.email!.toLowerCase())
      : undefined
  let inviteUrl: string | null = null
  let created: TechDetail
  if (member) {
    created = await reviews(org).createTech({
      name: member.name ?? input.name ?? member.email,
      email: member.email,
      userId: member.user_id,
    })
  } else {
    const name = input.name ?? input.email ?? ''
    if (input.email) {
      const invite = await inviteToTeam(
        db,
        organizationId,
        { email: input.email, role: 'tech', name },
        invitedBy,
        baseUrl,
      )
      inviteUrl = invite.invite_url
    }
    created = await reviews(org).createTech({ name, email: input.email ?? null })
  }
  const [tech] = await asTeamTechs(db, organizationId, team, [created])
  return { tech: tech!, invite_url: inviteUrl }
}

/** Links a tech to a member of this team (anyone else is a 400, another business's tech a 404; nothing is written). */
export async function linkTeamTech(
  db: PeopleDb,
  organizationId: string,
  org: OrgTechs,
  id: string,
  userId: string,
): Promise<TeamTech> {
  const team = await listTeam(db, organizationId)
  memberOrInvalid(team, userId)
  const linked = unwrap(await reviews(org).linkTech(id, userId))
  return (await asTeamTechs(db, organizationId, team, [linked]))[0]!
}

/** The review funnel's part of someone leaving the team: their tech row is deactivated, their QR codes keep crediting them. */
export async function techLeftTeam(org: OrgTechs, userId: string): Promise<void> {
  await reviews(org).techLeftTeam(userId)
}

function memberOrInvalid(team: TeamMember[], userId: string): TeamMember {
  const member = team.find((m) => m.user_id === userId)
  if (!member) throw invalidInput([{ path: 'user_id', message: "is not on this business's team" }])
  return member
}

async function asTeamTechs(
  db: PeopleDb,
  organizationId: string,
  team: TeamMember[],
  techs: TechDetail[],
): Promise<TeamTech[]> {
  const unlinked = techs.flatMap((t) => (!t.user_id && t.email ? [t.email.toLowerCase()] : []))
  const invited = new Set(
    unlinked.length === 0
      ? []
      : (
          await db
            .select({ email: invites.email })
            .from(invites)
            .where(
              and(
                eq(invites.organizationId, organizationId),
                inArray(sql`lower(${invites.email})`, unlinked),
                isNull(invites.acceptedAt),
                gt(invites.expiresAt, clock.now().toISOString()),
              ),
            )
            .all()
        ).map((r) => r.email.toLowerCase()),
  )
  return techs.map((t) => {
    const member = t.user_id ? team.find((m) => m.user_id === t.user_id) : undefined
    const team_status = member
      ? 'team'
      : t.user_id
        ? 'left'
        : t.email && invited.has(t.email.toLowerCase())
          ? 'invited'
          : 'none'
    return {
      ...t,
      name: member?.name ?? t.name,
      email: member?.email ?? t.email,
      team_status,
      role: member?.role ?? null,
      color: member?.color ?? null,
    }
  })
}
