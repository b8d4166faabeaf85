/** /api/v1/plans: the plans HomeBase sells, with their limits, in the order they are offered (any API key may read them). */
import { Hono } from 'hono'
import { listPlans, planJson } from '../../billing/plans'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'

export const plansApi = new Hono<AppEnv>().get('/', async (c) =>
  c.json({ items: (await listPlans(peopleDb(c.env.PEOPLE))).map(planJson) }),
)
