/**
 * The owner's Billing page (/app/billing): the plan, this period's usage against its limits, the
 * plans to compare, and Stripe's customer portal when Stripe is set up. Admins read it; an owner
 * opens the portal; everyone else gets 403, as on the other owner pages.
 */
import { Hono } from 'hono'
import { businessPlan, listPlans } from '../../billing/plans'
import { openBillingPortal } from '../../billing/portal'
import { stripeApiBase } from '../../integrations/stripe-api'
import { billingOverview } from '../../billing/usage'
import { peopleDb } from '../../db'
import type { AppEnv, Env } from '../../env'
import { conflict } from '../../errors'
import { requireRole } from '../../http/auth'
import type { PageProps } from '../../../views/layout'
import { BillingPage } from '../../../views/billing/page'

const PAGE: PageProps = { title: 'Billing', active: 'settings', styles: ['/billing.css'] }

/** Stripe's portal opens with HomeBase's key for a business Stripe knows as a customer. */
const portalReady = (env: Env, stripeCustomerId: string | null) => !!env.STRIPE_SECRET_KEY && !!stripeCustomerId

export const billingPages = new Hono<AppEnv>()
  .get('/', requireRole('owner', 'admin'), async (c) => {
    const [overview, plans] = await Promise.all([
      billingOverview(c.env, c.get('organization')),
      listPlans(peopleDb(c.env.PEOPLE)),
    ])
    const portal = portalReady(c.env, overview.current.stripeCustomerId)
    return c.render(<BillingPage usage={overview.usage} plans={plans} portal={portal} />, PAGE)
  })
  .post('/portal', requireRole('owner'), async (c) => {
    const { stripeCustomerId } = await businessPlan(peopleDb(c.env.PEOPLE), c.get('organization').id)
    if (!c.env.STRIPE_SECRET_KEY || !stripeCustomerId)
      throw conflict('Billing is not set up in Stripe for this business: write to HomeBase support to change plan.')
    const url = await openBillingPortal({
      apiBase: stripeApiBase(c.env),
      secretKey: c.env.STRIPE_SECRET_KEY,
      customer: stripeCustomerId,
      returnUrl: `${c.env.PUBLIC_BASE_URL ?? new URL(c.req.url).origin}/app/billing`,
    })
    return c.redirect(url, 303)
  })
