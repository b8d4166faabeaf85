/** Staff pages of leads: the pipeline board, the list with filters, a lead's page. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'

export const leadsPages = new Hono<AppEnv>()
