/** /app/settings: the business, API keys (owners) and team invites (owners and admins). */
import { Hono } from 'hono'
import { createApiKey, listApiKeys, revokeApiKey } from '../../auth/api-keys'
import { createInvite } from '../../auth/invites'
import { peopleDb } from '../../db'
import type { AppEnv, Env } from '../../env'
import { notFound } from '../../errors'
import { requireRole } from '../../http/auth'
import { normalizeEmail } from '../../people/normalize'
import { InviteResult, KeyRow, NewKey, SettingsPage, type MissingSetting } from '../../../views/settings'

/** Worker settings whose absence silently stops a feature, so the owner sees it here instead. */
function missingSettings(env: Env): MissingSetting[] {
  const missing: MissingSetting[] = []
  if (!env.PORTAL_SIGNING_KEY) missing.push({ name: 'PORTAL_SIGNING_KEY', effect: 'journeys, campaigns, review requests and portal links cannot be sent.' })
  if (!env.ENCRYPTION_KEY) missing.push({ name: 'ENCRYPTION_KEY', effect: 'integrations cannot store their tokens or webhook secrets.' })
  return missing
}

export const settingsPages = new Hono<AppEnv>()
  .get('/', async (c) => {
    const session = c.get('session')!
    const keys = session.role === 'owner' ? await listApiKeys(peopleDb(c.env.PEOPLE), session.organization.id) : []
    return c.html(<SettingsPage session={session} keys={keys} missing={missingSettings(c.env)} />)
  })
  .post('/api-keys', requireRole('owner'), async (c) => {
    const session = c.get('session')!
    const form = await c.req.parseBody()
    const name = (typeof form['name'] === 'string' ? form['name'].trim() : '').slice(0, 60) || 'API key'
    const key = await createApiKey(peopleDb(c.env.PEOPLE), session.organization.id, name, session.accountId)
    await key.statement.run()
    if (!c.req.header('hx-request')) return c.redirect('/app/settings', 303)
    const row = { id: key.id, name, prefix: key.key.slice(0, 10), created_at: new Date().toISOString(), last_used_at: null, revoked_at: null }
    return c.html(<NewKey session={session} row={row} apiKey={key.key} />, 201)
  })
  .post('/api-keys/:id/revoke', requireRole('owner'), async (c) => {
    const session = c.get('session')!
    const row = await revokeApiKey(peopleDb(c.env.PEOPLE), session.organization.id, c.req.param('id'))
    if (!row) throw notFound('API key')
    if (!c.req.header('hx-request')) return c.redirect('/app/settings', 303)
    return c.html(<KeyRow session={session} apiKey={row} />)
  })
  .post('/invites', requireRole('owner', 'admin'), async (c) => {
    const session = c.get('session')!
    const form = await c.req.parseBody()
    const email = normalizeEmail(typeof form['email'] === 'string' ? form['email'] : '')
    const role = form['role'] === 'admin' ? 'admin' : 'member'
    if (!email) return c.html(<InviteResult error="Enter a valid email address." />, 422)
    const token = await createInvite(peopleDb(c.env.PEOPLE), session.organization.id, email, role, session.accountId)
    const link = `${new URL(c.req.url).origin}/invite/${token}`
    return c.html(<InviteResult link={link} email={email} />, 201)
  })
