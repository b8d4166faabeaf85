/** Staff's support pages: open a ticket, read replies, answer, close. */
import { type Context, Hono } from 'hono'
import type { FormErrors, FormValues } from '../../../views/fields'
import { fragment, type PageProps } from '../../../views/layout'
import { SupportPage } from '../../../views/support/list'
import { TicketPage, TicketSection } from '../../../views/support/ticket'
import { clock } from '../../clock'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { readTicket } from '../../support/assistant'
import { businessReply, newTicket } from '../../support/schemas'
import { closeTicket, getTicket, listTickets, openTicket, replyAsBusiness } from '../../support/tickets'
import { formBody, ID, isHtmx } from './forms'

const PAGE: PageProps = { title: 'Help', active: 'support', styles: ['/support.css'] }

/** The list with the new-ticket form, filled back in when it failed. */
async function listPage(c: Context<AppEnv>, values?: FormValues, errors?: FormErrors) {
  const tickets = await listTickets(peopleDb(c.env.PEOPLE), c.get('organization').id)
  if (errors) c.status(422)
  return c.render(<SupportPage tickets={tickets} values={values} errors={errors} />, PAGE)
}

/** A ticket's section (htmx) or its page, with a notice or the reply form's errors. */
async function ticketAnswer(c: Context<AppEnv>, extra: { notice?: string; values?: FormValues; errors?: FormErrors }) {
  const ticket = await getTicket(peopleDb(c.env.PEOPLE), c.get('organization').id, c.req.param('id') ?? '')
  if (extra.errors) c.status(422)
  if (isHtmx(c)) return fragment(c, <TicketSection ticket={ticket} {...extra} />)
  return c.render(<TicketPage ticket={ticket} {...extra} />, { ...PAGE, title: ticket.subject })
}

/** After a change: the section with a notice for htmx, else back to the ticket's page. */
function changed(c: Context<AppEnv>, notice: string) {
  if (!isHtmx(c)) return c.redirect(`/app/support/${c.req.param('id')}`, 303)
  return ticketAnswer(c, { notice })
}

export const supportPages = new Hono<AppEnv>()
  .get('/', (c) => listPage(c))
  .post(
    '/',
    formBody(newTicket, (c, values, errors) => listPage(c, values, errors)),
    async (c) => {
      const session = c.get('session')!
      const db = peopleDb(c.env.PEOPLE)
      const now = clock.now()
      const id = await openTicket(db, session.organization.id, session.accountId, c.req.valid('form'), now)
      await readTicket(c.env, db, id, now)
      return c.redirect(`/app/support/${id}`, 303)
    },
  )
  .get(`/:id{${ID}}`, (c) => ticketAnswer(c, {}))
  .post(
    `/:id{${ID}}/replies`,
    formBody(businessReply, (c, values, errors) => ticketAnswer(c, { values, errors })),
    async (c) => {
      const session = c.get('session')!
      const db = peopleDb(c.env.PEOPLE)
      const id = c.req.param('id')
      const now = clock.now()
      await replyAsBusiness(db, session.organization.id, id, session.accountId, c.req.valid('form').body, now)
      await readTicket(c.env, db, id, now)
      return changed(c, 'Sent. We will answer here and by email.')
    },
  )
  .post(`/:id{${ID}}/close`, async (c) => {
    await closeTicket(peopleDb(c.env.PEOPLE), c.get('organization').id, c.req.param('id'), clock.now())
    return changed(c, 'Closed. Reply any time to open it again.')
  })
