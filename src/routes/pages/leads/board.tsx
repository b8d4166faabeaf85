/**
 * /app/leads: the pipeline board (default) and ?view=list with its filters, and moving a lead to
 * another status (POST /app/leads/{id}/status) from a dropped card or a card's own form.
 */
import { zValidator } from '@hono/zod-validator'
import { type Context, Hono } from 'hono'
import type { BoardColumn, LeadCard } from '../../../../durable-objects/org/sales/leads/board'
import { type Lead, leadName } from '../../../../durable-objects/org/sales/leads/leads'
import { BoardCard, BoardPage, CARDS_PER_COLUMN, MovedAnswer } from '../../../../views/leads/board'
import { LeadRows, LeadsListPage } from '../../../../views/leads/list'
import type { LeadsContext } from '../../../../views/leads/parts'
import { fragment } from '../../../../views/layout'
import type { AppEnv } from '../../../env'
import { sales } from '../../../sales/remote'
import { formBody, ID, isHtmx } from '../forms'
import { followUpQuery, leadsQuery, moveForm } from './forms'
import { leadsContext, teamOf } from './load'

const PAGE = { active: 'leads' as const, styles: ['/leads.css'], scripts: ['/leads.js'] }

/** How many rows the list shows a page. */
const LIST_PAGE = 50

/** A lead as its card shows it. */
const cardOf = (lead: Lead): LeadCard => ({
  id: lead.id,
  first_name: lead.first_name,
  last_name: lead.last_name,
  company: lead.company,
  service_interest: lead.service_interest,
  estimated_value_cents: lead.estimated_value_cents,
  next_follow_up_at: lead.next_follow_up_at,
  assigned_to: lead.assigned_to,
  source: lead.source,
  is_converted: lead.is_converted,
  updated_at: lead.updated_at,
})

/** The board's columns and what its cards need, read together. */
async function boardData(c: Context<AppEnv>, cards = CARDS_PER_COLUMN) {
  const [columns, team] = await Promise.all([sales(c.get('org')).leads.board({ cards_per_status: cards }), teamOf(c)])
  const ctx: LeadsContext = {
    statuses: columns.map((col) => col.status),
    team,
    tz: c.get('organization').timezone,
    now: new Date().toISOString(),
  }
  return { columns, ctx }
}

/** The board page; `moved` names the lead a form without JavaScript just moved, `error` a refused move. */
async function boardPage(
  c: Context<AppEnv>,
  said: { moved?: string; error?: string } = {},
  status: 200 | 404 | 409 | 422 = 200,
) {
  const { columns, ctx } = await boardData(c)
  let notice = said.error
  if (said.moved) {
    const col = columns.find((col) => col.leads.some((l) => l.id === said.moved))
    const card = col?.leads.find((l) => l.id === said.moved)
    if (col && card) notice = `Moved ${leadName(card)} to ${col.status.name}.`
  }
  c.status(status)
  return c.render(<BoardPage columns={columns} ctx={ctx} notice={notice} />, { ...PAGE, title: 'Leads' })
}

/** A refused move: for htmx the lead's card again with the reason (or word that it is gone), else the board saying why. */
async function refuse(c: Context<AppEnv>, id: string, message: string, status: 404 | 409 | 422) {
  if (!isHtmx(c)) return boardPage(c, { error: message }, status)
  const [lead, ctx] = await Promise.all([sales(c.get('org')).leads.getLead(id), leadsContext(c)])
  if (!lead || lead.is_converted)
    return fragment(
      c,
      <li class="lead-card is-gone" id={`lead-${id}`}>
        <p class="error" role="alert">
          {lead ? 'This lead became a client: it is on its client page now.' : 'This lead no longer exists.'}
        </p>
      </li>,
      status,
    )
  return fragment(c, <BoardCard lead={cardOf(lead)} statusId={lead.status_id} ctx={ctx} error={message} />, status)
}

export const boardPages = new Hono<AppEnv>()
  .get('/', zValidator('query', leadsQuery), async (c) => {
    const q = c.req.valid('query')
    c.header('Vary', 'HX-Request')
    if (q.view !== 'list') return boardPage(c, { moved: q.moved })
    const { view: _v, cursor, moved: _m, follow_up, ...filters } = q
    const [list, ctx] = await Promise.all([
      sales(c.get('org')).leads.listLeads({
        ...filters,
        ...followUpQuery(follow_up, c.get('organization').timezone, new Date()),
        cursor,
        limit: LIST_PAGE,
      }),
      leadsContext(c),
    ])
    const shown = { ...filters, follow_up }
    if (isHtmx(c))
      return fragment(c, <LeadRows items={list.items} nextCursor={list.next_cursor} filters={shown} ctx={ctx} />)
    return c.render(<LeadsListPage items={list.items} nextCursor={list.next_cursor} filters={shown} ctx={ctx} />, {
      ...PAGE,
      title: 'Leads',
    })
  })
  .post(
    `/:id{${ID}}/status`,
    formBody(moveForm, (c, _values, errors) =>
      refuse(c, c.req.param('id')!, errors['status_id'] ?? 'Pick a status.', 422),
    ),
    async (c) => {
      const id = c.req.param('id')
      const leads = sales(c.get('org')).leads
      const result = await leads.updateLead(
        id,
        { status_id: c.req.valid('form').status_id },
        c.get('session')!.accountId,
      )
      if (!result.ok) {
        const { status, message } = result.error
        return refuse(
          c,
          id,
          status === 400 ? 'Pick one of your statuses.' : message,
          status === 404 || status === 409 ? status : 422,
        )
      }
      if (!isHtmx(c)) return c.redirect(`/app/leads?moved=${id}#lead-${id}`, 303)
      const lead = result.value
      const was = c.req.valid('form').from
      // Every column's count and value as they are now, so both heads the move changed are right even after others' moves.
      const { columns, ctx } = await boardData(c, 0)
      const to = columns.find((col) => col.status.id === lead.status_id) as BoardColumn
      const from = columns.find((col) => col.status.id === was)
      return fragment(c, <MovedAnswer card={cardOf(lead)} to={to} from={from} ctx={ctx} />)
    },
  )
