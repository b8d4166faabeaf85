/** What the journey pages share: the journey or a 404, the clients its previews use, and the builder page. */
import type { Context } from 'hono'
import type { Journey } from '../../../durable-objects/org/journeys/definitions'
import type { JourneyVars } from '../../../durable-objects/org/journeys/wording'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { JourneyPage, type BuilderProps } from '../../../views/journeys/builder'
import type { StepsProps } from '../../../views/journeys/steps'
import { pickerClients } from './lookups'
import { journeysOf } from '../../journeys/remote'

/** The layout's title and the nav entry that is lit. */
export const page = (title: string) => ({ title, active: 'journeys' as const })

/** The journey or a 404. */
export async function journeyOf(c: Context<AppEnv>): Promise<Journey> {
  const journey = await journeysOf(c.get('org')).getJourney(c.req.param('id')!)
  if (!journey) throw notFound('journey')
  return journey
}

/** What the steps section needs besides the journey: clients to preview with and the chosen one's details. */
export async function previewContext(
  c: Context<AppEnv>,
  chosen?: string,
): Promise<Pick<StepsProps, 'clients' | 'sample'>> {
  const clients = await pickerClients(c, chosen || undefined)
  const client = clients.find((x) => x.org_client_id === chosen) ?? clients[0]
  const origin = c.env.PUBLIC_BASE_URL ?? new URL(c.req.url).origin
  const vars: JourneyVars = {
    first_name: client?.first_name ?? 'Jordan',
    business_name: c.get('organization').name,
    portal_link: `${origin}/p/…`,
    review_link: `${origin}/r/…`,
  }
  return { clients, sample: { id: client?.org_client_id ?? null, vars } }
}

/** The builder's props for `journey`, previewing with the `chosen` client (or the first). */
export async function builderProps(c: Context<AppEnv>, journey: Journey, chosen?: string): Promise<BuilderProps> {
  return { journey, ...(await previewContext(c, chosen)) }
}

/** The builder page (its title is the journey's name), with `status`. */
export function builderPage(c: Context<AppEnv>, props: BuilderProps, status: 200 | 422 = 200) {
  c.status(status)
  return c.render(<JourneyPage {...props} />, page(props.journey.name))
}
