/** Staff's support pages: open a ticket, read replies, answer, close. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'

export const supportPages = new Hono<AppEnv>()
