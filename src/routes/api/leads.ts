/** /api/v1/lead-statuses, /api/v1/leads (with activities and conversion) and /api/v1/reports/conversions. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'

export const leadStatusesApi = new Hono<AppEnv>()
export const leadsApi = new Hono<AppEnv>()
export const reportsApi = new Hono<AppEnv>()
