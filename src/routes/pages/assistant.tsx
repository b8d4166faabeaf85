/**
 * Staff pages of the assistant: every stored AI interaction (/app/assistant), and briefs asked
 * from a client's or lead's page (the Brief card posts here; htmx swaps the card in place).
 */
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { unwrap } from '../../../durable-objects/org/result'
import { AI_KINDS } from '../../../durable-objects/org/schema'
import { BriefCard, type BriefSubject } from '../../../views/assistant/brief'
import { InteractionsPage } from '../../../views/assistant/interactions'
import { fragment } from '../../../views/layout'
import type { AppEnv } from '../../env'
import { sales } from '../../sales/remote'
import { requester } from '../api/assistant'
import { ID, isHtmx } from './forms'

const listFilters = z.object({
  kind: z.enum(AI_KINDS).optional().catch(undefined),
  cursor: z.string().max(200).optional().catch(undefined),
})

/** The brief of a lead or client: the card swapped in place, or (without JavaScript) a page with it. */
async function brief(c: Context<AppEnv>, subject: BriefSubject, id: string) {
  const assistant = sales(c.get('org')).assistant
  const asked = unwrap(
    subject === 'clients' ? await assistant.briefClient(id, requester(c)) : await assistant.briefLead(id, requester(c)),
  )
  const card = <BriefCard subject={subject} id={id} brief={asked} />
  if (isHtmx(c)) return fragment(c, card)
  const back = `/app/${subject}/${id}`
  return c.render(
    <>
      <p class="crumbs">
        <a href={back}>Back to the {subject === 'clients' ? 'client' : 'lead'}</a>
      </p>
      {card}
    </>,
    { title: 'Brief', active: subject },
  )
}

export const assistantPages = new Hono<AppEnv>()
  .get('/', async (c) => {
    const f = listFilters.parse(c.req.query())
    const page = await sales(c.get('org')).assistant.listInteractions({ ...f, limit: 50 })
    return c.render(<InteractionsPage items={page.items} kind={f.kind} nextCursor={page.next_cursor} />, {
      title: 'Assistant',
      active: 'assistant',
    })
  })
  .post(`/clients/:id{${ID}}/brief`, (c) => brief(c, 'clients', c.req.param('id')))
  .post(`/leads/:id{${ID}}/brief`, (c) => brief(c, 'leads', c.req.param('id')))
