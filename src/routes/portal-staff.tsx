/**
 * The portal's staff side: minting portal and single-purpose links for a client
 * (`POST /api/v1/portal-links`), closing homeowners' requests (`POST /app/tasks/{id}/done`) and
 * how homeowners pay (`/app/settings/payments`).
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { unwrap } from '../../durable-objects/org/result'
import type { AppEnv } from '../env'
import { AppError, conflict, notFound } from '../errors'
import { requireCsrfToken, requireRole, requireSession } from '../http/auth'
import { jsonBody } from '../http/validate'
import { LINK_DAYS, portalLink, publicBase, signingKeys } from '../portal/links'
import { PaymentSettingsCard, PaymentSettingsPage } from '../../views/portal/settings'
import { fieldErrors, formStrings, ID, isHtmx } from './pages/forms'

const linkRequest = z.object({
  org_client_id: z.string().min(1).max(100),
  purpose: z.enum(['portal', 'pay', 'confirm']).default('portal'),
  invoice_id: z.string().min(1).max(100).optional(),
  job_id: z.string().min(1).max(100).optional(),
  days: z.number().int().min(1).max(90).default(LINK_DAYS),
}).refine((v) => v.purpose !== 'pay' || v.invoice_id, { message: 'a pay link needs invoice_id', path: ['invoice_id'] })
  .refine((v) => v.purpose !== 'confirm' || v.job_id, { message: 'a confirm link needs job_id', path: ['job_id'] })

export const portalLinksApi = new Hono<AppEnv>()
  .post('/', jsonBody(linkRequest), async (c) => {
    const input = c.req.valid('json')
    const org = c.get('org')
    const keys = signingKeys(c.env)
    if (!keys) throw new AppError(503, 'unavailable', 'Portal links are not configured (PORTAL_SIGNING_KEY).')
    if (!(await org.portalContact(input.org_client_id))) throw notFound('client')
    let resource: string | undefined
    if (input.purpose === 'pay') {
      resource = unwrap(await org.invoiceToPay(input.org_client_id, input.invoice_id!)).invoice.id
    } else if (input.purpose === 'confirm') {
      const job = (await org.portalView(input.org_client_id))?.upcoming.find((j) => j.id === input.job_id)
      if (!job) throw notFound('job')
      if (!job.can_confirm) throw conflict('This visit cannot be confirmed any more.')
      resource = job.id
    }
    const url = await portalLink(keys, publicBase(c.env, c.req.url), { o: c.get('organization').id, c: input.org_client_id, p: input.purpose, r: resource }, input.days)
    return c.json({ url, purpose: input.purpose, expires_at: new Date(Date.now() + input.days * 86_400_000).toISOString() }, 201)
  })

export const taskPages = new Hono<AppEnv>()
  .use('*', requireSession, requireCsrfToken)
  .post(`/:id{${ID}}/done`, async (c) => {
    unwrap(await c.get('org').closeTask(c.req.param('id')))
    const back = (await formStrings(c))['back'] ?? ''
    return c.redirect(/^\/app(\/[\w/-]*)?$/.test(back) ? back : '/app', 303)
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
