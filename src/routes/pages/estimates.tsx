/** Staff pages of estimates: list, new, an estimate's page with send and book. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'

export const estimatesPages = new Hono<AppEnv>()
