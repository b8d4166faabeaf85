/** Announcements: an operator's email to the owners of a filtered set of businesses. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'

export const adminAnnouncementsPages = new Hono<AppEnv>()
