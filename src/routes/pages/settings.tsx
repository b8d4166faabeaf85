/** /app/settings: the business, API keys (owners), team invites (owners and admins) and how homeowners pay. */
import { INVITE_ROLES } from '../../people/schema'
import { inviteToTeam } from '../../team'
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { createApiKey, listApiKeys, revokeApiKey } from '../../auth/api-keys'
import { peopleDb } from '../../db'
import type { AppEnv, Env } from '../../env'
import { notFound } from '../../errors'
import { requireRole } from '../../http/auth'
import type { FormErrors, FormValues } from '../../../views/fields'
import { fragment } from '../../../views/layout'
import { PaymentSettingsCard, PaymentSettingsPage } from '../../../views/portal/settings'
import { InviteResult, KeyRow, NewKey, SettingsPage, type MissingSetting } from '../../../views/settings'
import { organizationPatch } from '../api/organization'
import { formBody, intoApi, isHtmx, requiredEmail } from './forms'

const PAGE = { title: 'Settings', active: 'settings' } as const
const PAYMENTS = { title: 'Payments', active: 'settings' } as const

/** Worker settings whose absence silently stops a feature, so the owner sees it here instead. */
function missingSettings(env: Env): MissingSetting[] {
  const missing: MissingSetting[] = []
  if (!env.PORTAL_SIGNING_KEY)
    missing.push({
      name: 'PORTAL_SIGNING_KEY',
      effect: 'journeys, campaigns, review requests and portal links cannot be sent.',
    })
  if (!env.ENCRYPTION_KEY)
    missing.push({ name: 'ENCRYPTION_KEY', effect: 'integrations cannot store their tokens or webhook secrets.' })
  return missing
}

/** A key's name, as long as the field allows; unnamed keys are "API key". */
const keyForm = z.object({
  name: z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim().slice(0, 60) || 'API key'),
})

const inviteForm = z.object({
  email: requiredEmail('Enter a valid email address.'),
  role: z.enum(INVITE_ROLES).catch('member'),
})

/** The payment settings as typed (empty clears them), read into the organization API's fields. */
const paymentsForm = intoApi(
  z.object({
    stripe_account_id: z
      .string()
      .trim()
      .regex(/^(acct_[A-Za-z0-9]+)?$/, 'A Stripe account id starts with acct_, like acct_1Abc…')
      .default(''),
    payment_instructions: z.string().trim().max(1000, 'Keep it under 1,000 characters.').default(''),
  }),
  (v) => ({ stripe_account_id: v.stripe_account_id || null, payment_instructions: v.payment_instructions || null }),
  organizationPatch.pick({ stripe_account_id: true, payment_instructions: true }),
)

/** The settings page, with the owner's API keys. */
async function settingsPage(c: Context<AppEnv>) {
  const { role, organization } = c.get('session')!
  const keys = role === 'owner' ? await listApiKeys(peopleDb(c.env.PEOPLE), organization.id) : []
  return c.render(<SettingsPage keys={keys} missing={missingSettings(c.env)} />, PAGE)
}

/** The payments card for htmx (the settings page loads it), else its own page; `status` 422 with errors beside the fields. */
async function paymentsAnswer(
  c: Context<AppEnv>,
  extra: { values?: FormValues; errors?: FormErrors } = {},
  status: 200 | 422 = 200,
) {
  const props = { settings: await c.get('org').paymentSettings(), stripeReady: !!c.env.STRIPE_SECRET_KEY, ...extra }
  c.header('Vary', 'HX-Request')
  c.status(status)
  return isHtmx(c)
    ? fragment(c, <PaymentSettingsCard {...props} />)
    : c.render(<PaymentSettingsPage {...props} />, PAYMENTS)
}

export const settingsPages = new Hono<AppEnv>()
  .get('/', settingsPage)
  .post(
    '/api-keys',
    requireRole('owner'),
    formBody(keyForm, (c) => {
      c.status(422)
      return settingsPage(c)
    }),
    async (c) => {
      const { name } = c.req.valid('form')
      const session = c.get('session')!
      const key = await createApiKey(peopleDb(c.env.PEOPLE), session.organization.id, name, session.accountId)
      await key.statement.run()
      if (!isHtmx(c)) return c.redirect('/app/settings', 303)
      const row = {
        id: key.id,
        name,
        prefix: key.key.slice(0, 10),
        created_at: new Date().toISOString(),
        last_used_at: null,
        revoked_at: null,
      }
      return fragment(c, <NewKey row={row} apiKey={key.key} />, 201)
    },
  )
  .post('/api-keys/:id/revoke', requireRole('owner'), async (c) => {
    const row = await revokeApiKey(peopleDb(c.env.PEOPLE), c.get('organization').id, c.req.param('id'))
    if (!row) throw notFound('API key')
    if (!isHtmx(c)) return c.redirect('/app/settings', 303)
    return fragment(c, <KeyRow apiKey={row} />)
  })
  .post(
    '/invites',
    requireRole('owner', 'admin'),
    formBody(inviteForm, (c, _, errors) => c.html(<InviteResult error={errors['email']} />, 422)),
    async (c) => {
      const { email, role } = c.req.valid('form')
      const session = c.get('session')!
      const { invite_url } = await inviteToTeam(
        peopleDb(c.env.PEOPLE),
        session.organization.id,
        { email, role },
        session.accountId,
        new URL(c.req.url).origin,
      )
      return c.html(<InviteResult link={invite_url} email={email} />, 201)
    },
  )
  .get('/payments', async (c) => paymentsAnswer(c))
  .post(
    '/payments',
    requireRole('owner', 'admin'),
    formBody(paymentsForm, (c, values, errors) => paymentsAnswer(c, { values, errors }, 422)),
    async (c) => {
      const settings = await c.get('org').setPaymentSettings(c.req.valid('form'))
      if (!isHtmx(c)) return c.redirect('/app/settings/payments', 303)
      return fragment(
        c,
        <PaymentSettingsCard settings={settings} stripeReady={!!c.env.STRIPE_SECRET_KEY} notice="Saved." />,
      )
    },
  )
