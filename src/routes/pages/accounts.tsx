/** Staff pages of commercial accounts: list, new, an account's page with contacts, sites, jobs and invoices. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'

export const accountsPages = new Hono<AppEnv>()
