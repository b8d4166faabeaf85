/** The owner's Billing page: the plan, this period's usage against its limits, and Stripe's customer portal. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'

export const billingPages = new Hono<AppEnv>()
