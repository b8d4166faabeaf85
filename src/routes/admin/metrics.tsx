/** The platform's figures: GET /admin/api/metrics, "Recompute now" (API and button) and the run's progress. */
import { Hono } from 'hono'
import { RunProgressPart } from '../../../views/admin/headline'
import { fragment } from '../../../views/layout'
import { clock } from '../../clock'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { queryParams } from '../../http/validate'
import { platformFigures, platformHistory } from '../../platform/figures'
import { metricsProgress, refreshMetrics } from '../../platform/metrics-job'
import { isHtmx } from '../pages/forms'
import { metricsQuery } from './schemas'

/** `/admin/api/metrics`: the figures now and the daily rows; `POST /refresh` starts a run (202). */
export const adminMetricsApi = new Hono<AppEnv>()
  .get('/', queryParams(metricsQuery), async (c) => {
    const db = peopleDb(c.env.PEOPLE)
    const [figures, history] = await Promise.all([
      platformFigures(db, clock.now()),
      platformHistory(db, c.req.valid('query').days),
    ])
    const { paying: _, ...shown } = figures
    return c.json({ ...shown, history })
  })
  .post('/refresh', async (c) => {
    const { run, progress } = await refreshMetrics(c.env, clock.now())
    return c.json(
      {
        started_at: progress.since,
        organizations: progress.total,
        done: progress.done,
        // A run still going is answered as it is rather than started twice.
        already_running: run === null,
      },
      202,
    )
  })

/** The console's button and the progress it polls (a page without JavaScript reloads /admin?run=…). */
export const adminMetricsPages = new Hono<AppEnv>()
  .post('/refresh', async (c) => {
    const { progress } = await refreshMetrics(c.env, clock.now())
    if (isHtmx(c)) return fragment(c, <RunProgressPart progress={progress} />)
    return c.redirect(`/admin?run=${encodeURIComponent(progress.since)}#metrics`, 303)
  })
  .get('/progress', async (c) => {
    const since = c.req.query('since') ?? ''
    if (Number.isNaN(Date.parse(since))) return c.redirect('/admin', 303)
    if (!isHtmx(c)) return c.redirect(`/admin?run=${encodeURIComponent(since)}#metrics`, 303)
    c.header('Vary', 'HX-Request')
    return fragment(c, <RunProgressPart progress={await metricsProgress(peopleDb(c.env.PEOPLE), since)} />)
  })
