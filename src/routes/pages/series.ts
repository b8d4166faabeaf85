/** /app/series: cancelling the rest of a client's repeating visits from the client page. */
import { Hono } from 'hono'
import { unwrap } from '../../../durable-objects/org/result'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'

export const seriesPages = new Hono<AppEnv>().post('/:id/cancel', async (c) => {
  const org = c.get('org')
  const series = await org.getSeries(c.req.param('id'))
  if (!series) throw notFound('series')
  const { cancelled } = unwrap(await org.cancelSeries(series.id))
  return c.redirect(`/app/clients/${series.org_client_id}?series_cancelled=${cancelled}`, 303)
})
