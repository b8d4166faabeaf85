/**
 * /app/settings: one page for the business, payments, reviews and messaging (owners and admins
 * change them; each form answers with its own section for htmx, else goes back to its anchor),
 * API keys (owners) and team invites (owners and admins); the Team page is settings-team.tsx.
 */
import { INVITE_ROLES } from '../../people/schema'
import { inviteToTeam } from '../../team'
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { createApiKey, listApiKeys, revokeApiKey } from '../../auth/api-keys'
import { peopleDb } from '../../db'
import type { AppEnv, Env } from '../../env'
import { AppError, notFound } from '../../errors'
import { requireRole } from '../../http/auth'
import { showOrganization, updateOrganization } from '../../organizations'
import { searchZones, usZones } from '../../timezones'
import type { FormErrors, FormValues } from '../../../views/fields'
import { fragment } from '../../../views/layout'
import {
  InviteResult,
  KeyRow,
  NewKey,
  SettingsPage,
  type MissingSetting,
  type SectionState,
  type SettingsSection,
} from '../../../views/settings'
import { BusinessSection } from '../../../views/settings/business'
import { MessagingSection } from '../../../views/settings/messaging'
import { PaymentsPage, PaymentsSection } from '../../../views/settings/payments'
import { ReviewsSection } from '../../../views/settings/reviews'
import { TimeZoneOptions } from '../../../views/settings/timezone'
import { formBody, formStrings, isHtmx, requiredEmail } from './forms'
import { businessForm, businessRules, paymentsForm, reviewsForm, senderForm } from './settings-forms'
import { reminderSettingsPages } from './settings-reminders'
import { teamSettingsPages } from './settings-team'

const PAGE = { title: 'Settings', active: 'settings' } as const
const PAYMENTS = { title: 'Payments', active: 'settings' } as const
const manage = requireRole('owner', 'admin')

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

const organizationOf = (c: Context<AppEnv>) => showOrganization(c.env, c.get('organization').id, c.get('org'))

/** The whole page; a section that came back or was just saved shows its state (`status` 422 or 409 for a refused form). */
async function settingsPage(
  c: Context<AppEnv>,
  sections: Partial<Record<SettingsSection, SectionState>> = {},
  status: 200 | 409 | 422 = 200,
) {
  const { role, organization } = c.get('session')!
  const [org, payments, keys] = await Promise.all([
    organizationOf(c),
    c.get('org').paymentSettings(),
    role === 'owner' ? listApiKeys(peopleDb(c.env.PEOPLE), organization.id) : [],
  ])
  const zones = withZone(org.timezone)
  c.status(status)
  return c.render(
    <SettingsPage
      org={org}
      payments={payments}
      stripeReady={!!c.env.STRIPE_SECRET_KEY}
      zones={zones}
      keys={keys}
      missing={missingSettings(c.env)}
      sections={sections}
    />,
    PAGE,
  )
}

/** The zones the time-zone list starts with: the US ones, and the business's own when it is elsewhere. */
function withZone(zone: string) {
  const us = usZones()
  return us.some((z) => z.zone === zone) ? us : [{ zone, label: zone }, ...us]
}

/** One section's answer: for htmx the section alone, else the page at the section (after a save, a redirect to it). */
async function sectionAnswer(
  c: Context<AppEnv>,
  section: SettingsSection,
  state: SectionState,
  status: 200 | 409 | 422 = 200,
) {
  if (!isHtmx(c)) {
    if (status === 200) return c.redirect(`/app/settings?saved=${section}#${section}`, 303)
    return settingsPage(c, { [section]: state }, status)
  }
  c.status(status)
  if (section === 'payments')
    return fragment(
      c,
      <PaymentsSection
        settings={await c.get('org').paymentSettings()}
        stripeReady={!!c.env.STRIPE_SECRET_KEY}
        {...state}
      />,
    )
  const org = await organizationOf(c)
  if (section === 'business')
    return fragment(c, <BusinessSection org={org} zones={withZone(org.timezone)} {...state} />)
  const field = section === 'reviews' ? 'google_review_url' : 'sms_from'
  const props = { value: state.values?.[field], error: state.errors?.[field], notice: state.notice }
  return section === 'reviews'
    ? fragment(c, <ReviewsSection url={org.google_review_url} {...props} />)
    : fragment(c, <MessagingSection smsFrom={org.sms_from} {...props} />)
}

/** Saves a section's part of the organization; a refusal from the registry (a taken number) comes back beside its field. */
async function saveSection(
  c: Context<AppEnv>,
  section: SettingsSection,
  patch: Parameters<typeof updateOrganization>[3],
) {
  try {
    await updateOrganization(c.env, c.get('organization'), c.get('org'), patch)
  } catch (error) {
    if (!(error instanceof AppError) || (error.status !== 400 && error.status !== 409)) throw error
    const field = error.issues?.[0]?.path ?? (section === 'messaging' ? 'sms_from' : 'form')
    return sectionAnswer(
      c,
      section,
      { values: await formStrings(c), errors: { [field]: refusal(error) } },
      error.status === 409 ? 409 : 422,
    )
  }
  return sectionAnswer(c, section, { notice: 'Saved.' })
}

/** What the registry refused, in the page's words. */
function refusal(error: AppError): string {
  if (error.status === 409) return 'Another business already sends from that number. Use a number of your own.'
  return error.issues?.[0]?.path === 'sms_from' || error.issues?.[0]?.path === 'phone'
    ? 'Enter a phone number with its area code, like (415) 555-0100.'
    : error.message
}

/** A form that failed validation: its section again, filled in, errors beside the fields. */
const invalid = (section: SettingsSection) => (c: Context<AppEnv>, values: FormValues, errors: FormErrors) =>
  sectionAnswer(c, section, { values, errors }, 422)

export const settingsPages = new Hono<AppEnv>()
  .get('/', (c) => {
    const saved = z.enum(['business', 'payments', 'reviews', 'messaging']).safeParse(c.req.query('saved'))
    return settingsPage(c, saved.success ? { [saved.data]: { notice: 'Saved.' } } : {})
  })
  .route('/team', teamSettingsPages)
  .route('/reminders', reminderSettingsPages)
  .get('/timezones', (c) => {
    const q = c.req.query('timezone') ?? c.req.query('q') ?? ''
    return fragment(c, <TimeZoneOptions options={searchZones(q, 30)} />)
  })
  .post('/business', manage, formBody(businessForm, invalid('business'), { rules: businessRules }), async (c) =>
    saveSection(c, 'business', c.req.valid('form')),
  )
  .post('/reviews', manage, formBody(reviewsForm, invalid('reviews')), async (c) =>
    saveSection(c, 'reviews', c.req.valid('form')),
  )
  .post('/sender', manage, formBody(senderForm, invalid('messaging')), async (c) =>
    saveSection(c, 'messaging', c.req.valid('form')),
  )
  .get('/payments', async (c) => {
    const props = { settings: await c.get('org').paymentSettings(), stripeReady: !!c.env.STRIPE_SECRET_KEY }
    c.header('Vary', 'HX-Request')
    return isHtmx(c) ? fragment(c, <PaymentsSection {...props} />) : c.render(<PaymentsPage {...props} />, PAYMENTS)
  })
  .post('/payments', manage, formBody(paymentsForm, invalid('payments')), async (c) => {
    await c.get('org').setPaymentSettings(c.req.valid('form'))
    return sectionAnswer(c, 'payments', { notice: 'Saved.' })
  })
  .post(
    '/api-keys',
    requireRole('owner'),
    formBody(keyForm, (c) => settingsPage(c, {}, 422)),
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
    manage,
    formBody(inviteForm, (c, _, errors) => c.html(<InviteResult error={errors['email']} />, 422)),
    async (c) => {
      const { email, role } = c.req.valid('form')
      const session = c.get('session')!
      const invited = await inviteToTeam(
        peopleDb(c.env.PEOPLE),
        session.organization.id,
        { email, role },
        session.accountId,
        new URL(c.req.url).origin,
      ).catch((error: unknown) => {
        // A full team is said beside the form, naming the plan.
        if (error instanceof AppError && error.code === 'plan_limit') return error
        throw error
      })
      if (invited instanceof AppError) return c.html(<InviteResult error={invited.message} />, 409)
      return c.html(<InviteResult link={invited.invite_url} email={email} />, 201)
    },
  )
