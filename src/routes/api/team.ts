/** /api/v1/team: who works for the business, their roles and colours, invites and removals. */
import { Hono } from 'hono'
import { z } from 'zod'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { jsonBody } from '../../http/validate'
import { emailField } from '../../people/normalize'
import { INVITE_ROLES, TEAM_ROLES } from '../../people/schema'
import { inviteToTeam, listTeam } from '../../team'
import { changeTeamMember, removeTeamMember } from '../../team-changes'

export const teamInvite = z.object({
  email: emailField,
  role: z.enum(INVITE_ROLES),
  name: z.string().trim().min(1).max(120).optional(),
})

export const teamPatch = z.object({
  role: z.enum(TEAM_ROLES).optional(),
  name: z.string().trim().min(1).max(120).optional(),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #2563eb')
    .transform((v) => v.toLowerCase())
    .nullable()
    .optional(),
})

const baseUrl = (c: { env: AppEnv['Bindings']; req: { url: string } }) =>
  c.env.PUBLIC_BASE_URL ?? new URL(c.req.url).origin

export const teamApi = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ items: await listTeam(peopleDb(c.env.PEOPLE), c.get('organization').id) }))
  .post('/invites', jsonBody(teamInvite), async (c) => {
    const invitedBy = c.get('session')?.accountId ?? null
    const invite = await inviteToTeam(
      peopleDb(c.env.PEOPLE),
      c.get('organization').id,
      c.req.valid('json'),
      invitedBy,
      baseUrl(c),
    )
    return c.json(invite, 201)
  })
  .patch('/:user_id', jsonBody(teamPatch), async (c) =>
    c.json(await changeTeamMember(c.env, c.get('organization').id, c.req.param('user_id'), c.req.valid('json'))),
  )
  .delete('/:user_id', async (c) => {
    await removeTeamMember(c.env, c.get('org'), c.get('organization').id, c.req.param('user_id'))
    return c.json({ deleted: true })
  })
