/** /app/settings: the business, API keys (owners), team invites (owners and admins) and how homeowners pay. */
import { Hono } from 'hono'
import { z } from 'zod'
import { createApiKey, listApiKeys, revokeApiKey } from '../../auth/api-keys'
import { createInvite } from '../../auth/invites'
import { peopleDb } from '../../db'
import type { AppEnv, Env } from '../../env'
import { notFound } from '../../errors'
import { requireCsrfToken, requireRole, requireSession } from '../../http/auth'
import { normalizeEmail } from '../../people/normalize'
import { PaymentSettingsCard, PaymentSettingsPage } from '../../../views/portal/settings'
import { InviteResult, KeyRow, NewKey, SettingsPage, type MissingSetting } from '../../../views/settings'
import { fieldErrors, formStrings, isHtmx } from './forms'

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

const paymentsForm = z.object({
  stripe_account_id: z.string().trim().regex(/^(acct_[A-Za-z0-9]+)?$/, 'A Stripe account id starts with acct_, like acct_1Abc…').transform((v) => v || null),
  payment_instructions: z.string().trim().max(1000, 'Keep it under 1,000 characters.').transform((v) => v || null),
})

export const paymentSettingsPages = new Hono<AppEnv>()
  .use('*', requireSession, requireCsrfToken)
  .get('/', async (c) => {
    const props = { session: c.get('session')!, settings: await c.get('org').paymentSettings(), stripeReady: !!c.env.STRIPE_SECRET_KEY }
    c.header('Vary', 'HX-Request')
    return c.html(isHtmx(c) ? <PaymentSettingsCard {...props} /> : <PaymentSettingsPage {...props} />)
  })
  .post('/', requireRole('owner', 'admin'), async (c) => {
    const values = await formStrings(c)
    const form = paymentsForm.safeParse({ stripe_account_id: values['stripe_account_id'] ?? '', payment_instructions: values['payment_instructions'] ?? '' })
    const org = c.get('org')
    const base = { session: c.get('session')!, stripeReady: !!c.env.STRIPE_SECRET_KEY }
    if (!form.success) {
      const props = { ...base, settings: await org.paymentSettings(), values, errors: fieldErrors(form.error.issues) }
      return c.html(isHtmx(c) ? <PaymentSettingsCard {...props} /> : <PaymentSettingsPage {...props} />, 422)
    }
    const settings = await org.setPaymentSettings(form.data)
    if (!isHtmx(c)) return c.redirect('/app/settings/payments', 303)
    return c.html(<PaymentSettingsCard {...base} settings={settings} notice="Saved." />)
  })
