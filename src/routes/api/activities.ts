/** /api/v1/clients/{id}/activities: calls, notes, meetings, emails and texts logged on a client. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'

export const clientActivitiesApi = new Hono<AppEnv>()
