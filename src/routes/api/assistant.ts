/** The assistant: /api/v1/{leads,clients}/{id}/brief and /api/v1/ai-interactions. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'

export const leadBriefApi = new Hono<AppEnv>()
export const clientBriefApi = new Hono<AppEnv>()
export const aiInteractionsApi = new Hono<AppEnv>()
