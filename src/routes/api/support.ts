/** /api/v1/support/tickets: a business's staff writing to the people who run HomeBase. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'

export const supportApi = new Hono<AppEnv>()
