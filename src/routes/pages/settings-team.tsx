/**
 * /app/settings/team: everyone on the team and the open invites (all staff see it); owners and
 * admins change a role or colour, or remove someone, through the same functions as /api/v1/team.
 * htmx swaps the row in place; without JavaScript each form posts and comes back to the page.
 */
import { Hono, type Context } from 'hono'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { AppError } from '../../errors'
import { requireRole } from '../../http/auth'
import { getMember, listOpenInvites, listTeam, type TeamMember } from '../../team'
import { changeTeamMember, removeTeamMember } from '../../team-changes'
import { fragment } from '../../../views/layout'
import { MemberRow, RemovedRow, type RowState, TeamPage } from '../../../views/settings/team'
import { teamPatch } from '../api/team'
import { formBody, isHtmx } from './forms'

const PAGE = { title: 'Team', active: 'settings' } as const
const manage = requireRole('owner', 'admin')

/** The row's form: a role and a colour, judged by the API's own rules. */
const memberForm = teamPatch.pick({ role: true, color: true })

/** The page, with a row's state when a form came back (`status` 409 or 422 for a refusal). */
async function teamPage(
  c: Context<AppEnv>,
  extra: { rows?: Record<string, RowState>; notice?: string } = {},
  status: 200 | 403 | 409 | 422 = 200,
) {
  const db = peopleDb(c.env.PEOPLE)
  const organizationId = c.get('organization').id
  const [team, invites] = await Promise.all([listTeam(db, organizationId), listOpenInvites(db, organizationId)])
  c.status(status)
  return c.render(<TeamPage team={team} invites={invites} {...extra} />, PAGE)
}

/** A refused change (the last owner, an admin and the owner role) said beside its row; anything else is thrown. */
async function refusedRow(c: Context<AppEnv>, userId: string, error: unknown) {
  if (!(error instanceof AppError) || (error.status !== 409 && error.status !== 403)) throw error
  const status = error.status
  if (!isHtmx(c)) return teamPage(c, { rows: { [userId]: { error: error.message } } }, status)
  const member = await getMember(peopleDb(c.env.PEOPLE), c.get('organization').id, userId)
  return fragment(c, <MemberRow member={member} error={error.message} />, status)
}

const userIdOf = (c: Context<AppEnv>) => c.req.param('user_id') ?? ''

export const teamSettingsPages = new Hono<AppEnv>()
  .get('/', (c) => teamPage(c, c.req.query('removed') ? { notice: 'Removed from the team.' } : {}))
  .post(
    '/:user_id',
    manage,
    formBody(memberForm, (c, _, errors) =>
      teamPage(
        c,
        { rows: { [userIdOf(c)]: { error: Object.values(errors)[0] ?? 'Check the role and colour.' } } },
        422,
      ),
    ),
    async (c) => {
      const userId = c.req.param('user_id')
      const { role } = c.get('session')!
      const organizationId = c.get('organization').id
      // Another business's people are not found (404) before anything is written.
      await getMember(peopleDb(c.env.PEOPLE), organizationId, userId)
      let member: TeamMember
      try {
        member = await changeTeamMember(c.env, organizationId, userId, c.req.valid('form'), role)
      } catch (error) {
        return refusedRow(c, userId, error)
      }
      if (!isHtmx(c)) return c.redirect(`/app/settings/team#member-${userId}`, 303)
      return fragment(c, <MemberRow member={member} notice="Saved." />)
    },
  )
  .post('/:user_id/remove', manage, async (c) => {
    const userId = c.req.param('user_id')
    const organizationId = c.get('organization').id
    const member = await getMember(peopleDb(c.env.PEOPLE), organizationId, userId)
    try {
      await removeTeamMember(c.env, c.get('org'), organizationId, userId, c.get('session')!.role)
    } catch (error) {
      return refusedRow(c, userId, error)
    }
    if (!isHtmx(c)) return c.redirect('/app/settings/team?removed=1', 303)
    return fragment(c, <RemovedRow member={member} />)
  })
