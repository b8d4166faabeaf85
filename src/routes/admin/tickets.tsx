/** The operator console's support desk: tickets from every business, triage (assign, status), replies and internal notes. */
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { DeskPage } from '../../../views/admin/tickets'
import { DeskTicketPage, DeskTicketSection } from '../../../views/admin/tickets-ticket'
import type { FormErrors, FormValues } from '../../../views/fields'
import { fragment, type PageProps } from '../../../views/layout'
import { clock } from '../../clock'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { AppError } from '../../errors'
import { jsonBody, queryParams } from '../../http/validate'
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../../people/schema'
import { interactionsOf } from '../../support/assistant'
import { deskTicket, listDesk, operators, replyAsOperator, updateTicket } from '../../support/desk'
import { deskQuery, operatorReply, ticketPatch } from '../../support/schemas'
import { formBody, ID, isHtmx, text } from '../pages/forms'

const PAGE: PageProps = { title: 'Tickets', styles: ['/support.css'] }

/** The links in emails point here: the configured public address, else the request's. */
const baseUrlOf = (c: Context<AppEnv>) => c.env.PUBLIC_BASE_URL ?? new URL(c.req.url).origin

/** The desk's filters from a page's query: anything unknown is no filter. */
const pageFilters = z.object({
  status: z.enum(TICKET_STATUSES).optional().catch(undefined),
  priority: z.enum(TICKET_PRIORITIES).optional().catch(undefined),
})

const replyForm = z.object({
  body: text(10_000, 'Write the answer or the note.'),
  kind: z.enum(['reply', 'note']).catch('reply'),
})

const triageForm = z.object({
  status: z.enum(TICKET_STATUSES),
  priority: z.enum(TICKET_PRIORITIES),
  assignee: z
    .string()
    .trim()
    .transform((v) => v || null),
})

/** The ticket's section (htmx) or page, with a notice or a form's errors. */
async function ticketAnswer(c: Context<AppEnv>, extra: { notice?: string; values?: FormValues; errors?: FormErrors }) {
  const db = peopleDb(c.env.PEOPLE)
  const id = c.req.param('id') ?? ''
  const props = {
    ticket: await deskTicket(db, id),
    operators: await operators(c.env, db),
    interactions: await interactionsOf(db, id),
    ...extra,
  }
  if (extra.errors) c.status(422)
  if (isHtmx(c)) return fragment(c, <DeskTicketSection {...props} />)
  return c.render(<DeskTicketPage {...props} />, { ...PAGE, title: props.ticket.subject })
}

/** After a change: the section with a notice for htmx, else back to the ticket's page. */
function changed(c: Context<AppEnv>, notice: string) {
  if (!isHtmx(c)) return c.redirect(`/admin/tickets/${c.req.param('id')}`, 303)
  return ticketAnswer(c, { notice })
}

export const adminTicketsPages = new Hono<AppEnv>()
  .get('/', async (c) => {
    const filters = pageFilters.parse(c.req.query())
    const tickets = await listDesk(peopleDb(c.env.PEOPLE), filters)
    return c.render(<DeskPage tickets={tickets} filters={filters} />, PAGE)
  })
  .get(`/:id{${ID}}`, (c) => ticketAnswer(c, {}))
  .post(
    `/:id{${ID}}/replies`,
    formBody(replyForm, (c, values, errors) => ticketAnswer(c, { values, errors })),
    async (c) => {
      const { body, kind } = c.req.valid('form')
      const internal = kind === 'note'
      const db = peopleDb(c.env.PEOPLE)
      const author = c.get('session')!.accountId
      await replyAsOperator(c.env, db, c.req.param('id'), author, { body, internal }, baseUrlOf(c), clock.now())
      return changed(c, internal ? 'Note saved. Only operators see it.' : 'Sent to the business, by email too.')
    },
  )
  .post(
    `/:id{${ID}}`,
    formBody(triageForm, (c, values, errors) => ticketAnswer(c, { values, errors })),
    async (c) => {
      try {
        await updateTicket(c.env, peopleDb(c.env.PEOPLE), c.req.param('id'), c.req.valid('form'), clock.now())
      } catch (error) {
        const issue = error instanceof AppError ? error.issues?.find((i) => i.path === 'assignee') : undefined
        if (!issue) throw error
        return ticketAnswer(c, { errors: { assignee: 'Pick one of the operators.' } })
      }
      return changed(c, 'Saved.')
    },
  )

export const adminTicketsApi = new Hono<AppEnv>()
  .get('/', queryParams(deskQuery), async (c) =>
    c.json({ items: await listDesk(peopleDb(c.env.PEOPLE), c.req.valid('query')) }),
  )
  .get('/:id', async (c) => c.json(await deskTicket(peopleDb(c.env.PEOPLE), c.req.param('id'))))
  .get('/:id/interactions', async (c) => {
    const db = peopleDb(c.env.PEOPLE)
    await deskTicket(db, c.req.param('id'))
    return c.json({ items: await interactionsOf(db, c.req.param('id')) })
  })
  .post('/:id/replies', jsonBody(operatorReply), async (c) => {
    const db = peopleDb(c.env.PEOPLE)
    const id = c.req.param('id')
    const author = c.get('session')!.accountId
    const replyId = await replyAsOperator(c.env, db, id, author, c.req.valid('json'), baseUrlOf(c), clock.now())
    return c.json({ reply_id: replyId, ticket: await deskTicket(db, id) }, 201)
  })
  .patch('/:id', jsonBody(ticketPatch), async (c) =>
    c.json(await updateTicket(c.env, peopleDb(c.env.PEOPLE), c.req.param('id'), c.req.valid('json'), clock.now())),
  )
