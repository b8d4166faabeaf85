/**
 * Changing or removing someone on the team, with everything that follows from it: the review
 * funnel's techs follow roles, and a person who leaves comes off upcoming crews and out of the
 * funnel. The API (`/api/v1/team`) and the Team settings page both call these, so they cannot drift.
 */
import type { OrgObject } from '../durable-objects/org/org-object'
import { unwrap } from '../durable-objects/org/result'
import { peopleDb } from './db'
import type { Env } from './env'
import { forbidden } from './errors'
import type { TeamRole } from './people/schema'
import { refreshTeamTechs, techLeftTeam } from './reviews/team-techs'
import { getMember, removeMember, type TeamMember, updateMember } from './team'

export type MemberPatch = Parameters<typeof updateMember>[3]

/**
 * Changes a member's role, name or colour (409 for the last owner's demotion). `by` is the role of
 * the person signed in, when there is one: an admin cannot give or take the owner role (403).
 */
export async function changeTeamMember(
  env: Env,
  organizationId: string,
  userId: string,
  patch: MemberPatch,
  by: TeamRole | null = null,
): Promise<TeamMember> {
  const db = peopleDb(env.PEOPLE)
  if (by !== null && by !== 'owner' && patch.role !== undefined) {
    const member = await getMember(db, organizationId, userId)
    if (patch.role !== member.role && (patch.role === 'owner' || member.role === 'owner'))
      throw forbidden('Only an owner can make someone an owner or change an owner’s role.')
  }
  const member = await updateMember(db, organizationId, userId, patch)
  // Someone who became a tech is one of the review funnel's techs from now on.
  if (patch.role) await refreshTeamTechs(env, organizationId)
  return member
}

/**
 * Takes someone off the team (409 for the last owner; an admin cannot remove an owner, 403): their
 * sessions end, they come off upcoming crews (past visits keep them) and out of the review funnel.
 */
export async function removeTeamMember(
  env: Env,
  org: DurableObjectStub<OrgObject>,
  organizationId: string,
  userId: string,
  by: TeamRole | null = null,
): Promise<void> {
  const db = peopleDb(env.PEOPLE)
  if (by !== null && by !== 'owner' && (await getMember(db, organizationId, userId)).role === 'owner')
    throw forbidden('Only an owner can remove an owner.')
  await removeMember(db, organizationId, userId)
  unwrap(await org.removeFromCrews(userId))
  await techLeftTeam(org, userId)
}
