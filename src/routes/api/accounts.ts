/** /api/v1/accounts: commercial accounts with contacts, sites, and their jobs and invoices. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'

export const accountsApi = new Hono<AppEnv>()
