/** /api/v1/plans: the plans HomeBase sells, with their limits. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'

export const plansApi = new Hono<AppEnv>()
