/** /api/v1/stats: counts over the business's clients. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'

export const statsApi = new Hono<AppEnv>().get('/clients', async (c) => c.json(await c.get('org').clientStats()))
