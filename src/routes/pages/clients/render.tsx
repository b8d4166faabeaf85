/** What every client route answers with: the whole client page, the client and its card, a change with the timeline. */
import type { Context } from 'hono'
import type { Child } from 'hono/jsx'
import { pointsOf } from '../../../../durable-objects/org/cards/cards'
import { ClientPage, type ClientPageProps } from '../../../../views/clients/client'
import { Timeline } from '../../../../views/clients/timeline'
import { personName } from '../../../../views/format'
import { fragment } from '../../../../views/layout'
import { peopleDb } from '../../../db'
import type { AppEnv } from '../../../env'
import { notFound } from '../../../errors'
import { consentFor, targetOf } from '../../../people/consent'
import { hasHomeownerAccount } from '../../../portal/accounts'
import { clientSales } from '../leads/client'
import { jobItems } from '../lookups'
import { withSentiment } from '../../../sales/ai/sentiment'
import { cardsOf } from '../../../clients/remote'
import { messagingOf } from '../../../messaging/remote'

/** The page options of every clients page: its title, with Clients lit in the menu. */
export const page = (title: string) => ({ title, active: 'clients' as const })

/** Everything the client page shows, or a 404 for an id this organization does not hold. */
async function clientPageData(c: Context<AppEnv>, id: string) {
  const org = c.get('org')
  const client = await org.getClient(id)
  if (!client) throw notFound('client')
  const db = peopleDb(c.env.PEOPLE)
  const [contact, consent, jobs, invoices, timeline, addresses, series, conversation, sales] = await Promise.all([
    cardsOf(org).getPersonCard(client.person_id),
    consentFor(db, targetOf(client), c.get('organization').id),
    org.listJobs({ org_client_id: id, limit: 100 }),
    org.listInvoices({ org_client_id: id, limit: 100 }),
    org.clientTimeline(id),
    cardsOf(org).listAddresses(id),
    org.listSeries({ org_client_id: id }),
    // Replies carry their tone (the assistant reads each as it arrives).
    messagingOf(org)
      .openConversation(id)
      .then((items) => withSentiment(org, items ?? [])),
    clientSales(c, id),
  ])
  const items = await jobItems(c, withoutLaterVisits(jobs).reverse())
  const homeowner = await hasHomeownerAccount(db, pointsOf(contact))
  return {
    client,
    contact,
    consent,
    jobs: items,
    invoices,
    timeline: timeline ?? [],
    homeowner,
    addresses: addresses ?? [],
    series,
    conversation: conversation ?? [],
    sales,
  }
}

/** The client's jobs, with each series' visits shown up to the next one to come (the series card holds the rest). */
function withoutLaterVisits<T extends { series_id: string | null; start_at: string; status: string }>(jobs: T[]): T[] {
  const now = new Date().toISOString()
  const shown = new Set<string>()
  return jobs.filter((j) => {
    if (!j.series_id || j.start_at < now) return true
    if (shown.has(j.series_id) || j.status === 'cancelled') return false
    shown.add(j.series_id)
    return true
  })
}

/** The client page, with whatever came back (a form with errors, a notice), with `status`. */
export async function clientPage(
  c: Context<AppEnv>,
  id: string,
  extra: Partial<ClientPageProps> = {},
  status: 200 | 409 | 422 = 200,
) {
  const data = await clientPageData(c, id)
  c.status(status)
  return c.render(<ClientPage {...data} {...extra} />, page(personName(data.client)))
}

/** The client and its card, or a 404 for an id this organization does not hold. */
export async function clientAndCard(c: Context<AppEnv>, id: string) {
  const client = await c.get('org').getClient(id)
  if (!client) throw notFound('client')
  return { client, card: await cardsOf(c.get('org')).getPersonCard(client.person_id) }
}

/** A changed fragment plus the client's timeline, which every change adds to. */
export async function withTimeline(c: Context<AppEnv>, id: string, changed: Child) {
  const view = await cardsOf(c.get('org')).timelineWithCard(id)
  return fragment(
    c,
    <>
      {changed}
      <hx-partial hx-target="#timeline" hx-swap="outerHTML">
        <Timeline
          items={view?.items ?? []}
          tz={c.get('organization').timezone}
          revert={{ clientId: id, card: view?.card ?? null }}
        />
      </hx-partial>
    </>,
  )
}
