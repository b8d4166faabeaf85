/** What every leads page reads besides the leads: the pipeline's statuses and the team, in one go. */
import type { Context } from 'hono'
import type { LeadsContext } from '../../../../views/leads/parts'
import { initials, type Person } from '../../../../views/schedule/people'
import { peopleDb } from '../../../db'
import type { AppEnv } from '../../../env'
import { sales } from '../../../sales/remote'
import { listTeam } from '../../../team'

/** The team as the pages show it: a name, a colour and initials for each person. */
export async function teamOf(c: Context<AppEnv>): Promise<Person[]> {
  const members = await listTeam(peopleDb(c.env.PEOPLE), c.get('organization').id)
  return members.map((m) => {
    const name = m.name ?? m.email
    return { id: m.user_id, name, color: m.color, initials: initials(name) }
  })
}

/** The statuses, the team, the business's zone and now. */
export async function leadsContext(c: Context<AppEnv>): Promise<LeadsContext> {
  const [statuses, team] = await Promise.all([sales(c.get('org')).leads.listStatuses(), teamOf(c)])
  return { statuses, team, tz: c.get('organization').timezone, now: new Date().toISOString() }
}
