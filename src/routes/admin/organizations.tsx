/** The operator console's businesses: the list with search, filters, sorting and CSV export, a business's page, and the headline metrics with charts. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'

export const adminOrganizationsPages = new Hono<AppEnv>()
export const adminOrganizationsApi = new Hono<AppEnv>()
export const adminMetricsApi = new Hono<AppEnv>()
