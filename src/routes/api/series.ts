/** /api/v1/series: recurring visits — a client's series, one series, and cancelling from a visit on. */
import { Hono } from 'hono'
import { z } from 'zod'
import { unwrap } from '../../../durable-objects/org/result'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { id } from '../../http/schemas'
import { queryParams } from '../../http/validate'

const listQuery = z.object({ org_client_id: id.optional() })
const cancelQuery = z.object({ from: id.optional() })

export const seriesApi = new Hono<AppEnv>()
  .get('/', queryParams(listQuery), async (c) => c.json({ items: await c.get('org').listSeries(c.req.valid('query')) }))
  .get('/:id', async (c) => {
    const org = c.get('org')
    const series = await org.getSeries(c.req.param('id'))
    if (!series) throw notFound('series')
    const visits = await org.listJobs({ series_id: series.id, limit: 1000 })
    return c.json({ ...series, visits })
  })
  /** Cancels the visit `from` and every later one (default: from the next visit to come); they stay listed as cancelled. */
  .delete('/:id', queryParams(cancelQuery), async (c) =>
    c.json(unwrap(await c.get('org').cancelSeries(c.req.param('id'), c.req.valid('query').from))),
  )
