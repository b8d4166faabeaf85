/** The operator console's businesses: the list with search, filters, sorting and CSV export, a business's page, and the headline metrics with charts. */
import { type Context, Hono } from 'hono'
import { BusinessFilters, BusinessesTable, BusinessRows } from '../../../views/admin/businesses'
import { Headline } from '../../../views/admin/headline'
import { OrganizationPage } from '../../../views/admin/organization'
import { fragment } from '../../../views/layout'
import { clock } from '../../clock'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { queryParams } from '../../http/validate'
import { orgStub } from '../../organizations'
import { toCsv } from '../../platform/csv'
import { platformFigures, platformHistory, weeklyCounts } from '../../platform/figures'
import { metricsProgress } from '../../platform/metrics-job'
import { organizationDetail } from '../../platform/organization-detail'
import {
  allOrganizations,
  listOrganizations,
  ORGANIZATION_COLUMNS,
  type OrganizationFilters,
} from '../../platform/organizations-list'
import { plansWithCounts } from '../../platform/plan-settings'
import { isHtmx } from '../pages/forms'
import { adminMetricsPages } from './metrics'
import { type OrganizationsQuery, organizationsQuery } from './schemas'

export { adminMetricsApi } from './metrics'

/** Weeks the console's charts cover. */
const CHART_WEEKS = 12

const filtersOf = ({ cursor: _c, limit: _l, format: _f, ...filters }: OrganizationsQuery): OrganizationFilters =>
  filters

/** The whole page: headline, filters and the first page of the table (or the table alone for htmx). */
async function consoleHome(c: Context<AppEnv>, query: OrganizationsQuery) {
  const db = peopleDb(c.env.PEOPLE)
  const now = clock.now()
  const filters = filtersOf(query)
  const list = await listOrganizations(db, filters, { limit: query.limit, cursor: query.cursor })
  c.header('Vary', 'HX-Request')
  const table = <BusinessesTable filters={filters} items={list.items} nextCursor={list.next_cursor} now={now} />
  if (isHtmx(c)) return fragment(c, table)
  const run = c.req.query('run')
  const [figures, history, weeks, plans, progress] = await Promise.all([
    platformFigures(db, now),
    platformHistory(db, CHART_WEEKS * 7 + 7),
    weeklyCounts(db, now, CHART_WEEKS),
    plansWithCounts(db),
    run && !Number.isNaN(Date.parse(run)) ? metricsProgress(db, run) : null,
  ])
  return c.render(
    <>
      <div class="page-head">
        <h1>Businesses</h1>
      </div>
      <Headline
        figures={figures}
        history={history}
        weeks={weeks}
        lastRun={history.at(-1)?.computed_at ?? null}
        progress={progress}
        now={now}
      />
      <h2>Every business</h2>
      <BusinessFilters filters={filters} plans={plans} />
      {table}
    </>,
    { title: 'Businesses' },
  )
}

/** /admin: the console's home; /admin/organizations/rows: "Show more"; /admin/organizations/{id}: one business. */
export const adminOrganizationsPages = new Hono<AppEnv>()
  .get('/', queryParams(organizationsQuery), (c) => consoleHome(c, c.req.valid('query')))
  .get('/organizations/rows', queryParams(organizationsQuery), async (c) => {
    const query = c.req.valid('query')
    const filters = filtersOf(query)
    const list = await listOrganizations(peopleDb(c.env.PEOPLE), filters, { limit: query.limit, cursor: query.cursor })
    return fragment(
      c,
      <BusinessRows items={list.items} nextCursor={list.next_cursor} filters={filters} now={clock.now()} />,
    )
  })
  .get('/organizations/:id', async (c) => {
    const id = c.req.param('id')
    const detail = await organizationDetail(peopleDb(c.env.PEOPLE), id)
    if (!detail) throw notFound('business')
    const now = clock.now()
    const usage = await orgStub(c.env, id).metricsSnapshot(now.toISOString(), { weeks: 8 })
    return c.render(<OrganizationPage o={detail} now={now} usage={usage} />, { title: detail.name })
  })
  .route('/metrics', adminMetricsPages)

/** Every business matching the filters as CSV, the same columns as the JSON. */
async function csvAnswer(c: Context<AppEnv>, query: OrganizationsQuery) {
  const rows = await allOrganizations(peopleDb(c.env.PEOPLE), filtersOf(query))
  const day = clock.now().toISOString().slice(0, 10)
  return c.body(toCsv(ORGANIZATION_COLUMNS, rows), 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="homebase-businesses-${day}.csv"`,
    'cache-control': 'no-store',
  })
}

/** `GET /admin/api/organizations`: a page of businesses as JSON, or every match as CSV (`?format=csv`). */
export const adminOrganizationsApi = new Hono<AppEnv>().get('/', queryParams(organizationsQuery), async (c) => {
  const query = c.req.valid('query')
  if (query.format === 'csv') return csvAnswer(c, query)
  const page = { limit: query.limit, cursor: query.cursor }
  return c.json(await listOrganizations(peopleDb(c.env.PEOPLE), filtersOf(query), page))
})

/** `GET /admin/api/organizations.csv`: the same CSV under its own name. */
export const adminOrganizationsCsvApi = new Hono<AppEnv>().get('/', queryParams(organizationsQuery), (c) =>
  csvAnswer(c, c.req.valid('query')),
)
