/** The public request form /book/{slug}: no sign-in, rate-limited, a honeypot; it creates a lead and tells staff. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'

export const bookPages = new Hono<AppEnv>()
