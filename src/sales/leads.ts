/**
 * The Worker's side of leads: a phone read in the business's country, an owner checked against
 * the team (both live outside the ORG object), then one call to the object.
 */
import type { z } from 'zod'
import type { Lead, LeadPatch, NewLead } from '../../durable-objects/org/sales/leads/leads'
import { unwrap } from '../../durable-objects/org/result'
import { peopleDb } from '../db'
import type { Env } from '../env'
import { AppError, invalidInput } from '../errors'
import { orgStub, type Organization } from '../organizations'
import { requirePhone } from '../people/service'
import { assertOnTeam } from '../team'
import { isIsoDate, zonedTimeToUtc } from '../time'
import type { CreateLeadInput, LeadPatchInput, listLeadsQuery } from './lead-schemas'
import { sales } from './remote'

/** 400 naming `assigned_to` unless the user is on this business's team. */
async function assertAssignee(env: Env, organization: Organization, userId: string | null | undefined) {
  if (!userId) return
  try {
    await assertOnTeam(peopleDb(env.PEOPLE), organization.id, [userId])
  } catch (error) {
    if (error instanceof AppError && error.status === 400)
      throw invalidInput([{ path: 'assigned_to', message: "is not on this business's team" }])
    throw error
  }
}

/** The fields as the object takes them: the phone in E.164, instants in UTC. */
function normalized<T extends LeadPatchInput>(organization: Organization, input: T) {
  const { phone, next_follow_up_at, ...rest } = input
  return {
    ...rest,
    ...(phone !== undefined
      ? { phone: phone === null ? null : requirePhone(phone, organization.country, 'phone') }
      : {}),
    ...(next_follow_up_at !== undefined
      ? { next_follow_up_at: next_follow_up_at === null ? null : new Date(next_follow_up_at).toISOString() }
      : {}),
  }
}

/** Creates a lead. */
export async function createLead(env: Env, organization: Organization, input: CreateLeadInput): Promise<Lead> {
  const lead = normalized(organization, input) as NewLead
  await assertAssignee(env, organization, input.assigned_to)
  return unwrap(await sales(orgStub(env, organization.id)).leads.createLead(lead))
}

/** Changes a lead (409 once converted). */
export async function updateLead(
  env: Env,
  organization: Organization,
  id: string,
  patch: LeadPatchInput,
  authorId: string | null = null,
): Promise<Lead> {
  const change = normalized(organization, patch) as LeadPatch
  await assertAssignee(env, organization, patch.assigned_to)
  return unwrap(await sales(orgStub(env, organization.id)).leads.updateLead(id, change, authorId))
}

/** The list's query as the object takes it: a follow-up date is the start of that day in the business's zone. */
export function leadsQuery(organization: Organization, query: z.output<typeof listLeadsQuery>) {
  const before = query.follow_up_before
  return {
    ...query,
    follow_up_before:
      before === undefined
        ? undefined
        : isIsoDate(before)
          ? zonedTimeToUtc(before, '00:00', organization.timezone).toISOString()
          : new Date(before).toISOString(),
  }
}
