/** The operator console's support desk: tickets from every business, triage (assign, status), replies and internal notes. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'

export const adminTicketsPages = new Hono<AppEnv>()
export const adminTicketsApi = new Hono<AppEnv>()
