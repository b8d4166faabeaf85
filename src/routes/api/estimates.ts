/** /api/v1/estimates: quotes with lines and tax, sent for approval, booked as jobs. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'

export const estimatesApi = new Hono<AppEnv>()
