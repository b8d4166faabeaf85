/** /api/v1/support/tickets: a business's staff writing to the people who run HomeBase. */
import { type Context, Hono } from 'hono'
import { clock } from '../../clock'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { jsonBody, queryParams } from '../../http/validate'
import { ownersOf } from '../../reviews/owners'
import { readTicket } from '../../support/assistant'
import { businessPatch, businessReply, newTicket, ticketsQuery } from '../../support/schemas'
import { closeTicket, getTicket, listTickets, openTicket, replyAsBusiness } from '../../support/tickets'

/** Who writes: the signed-in staff member, or for an API key the business's founding owner. */
export async function writerOf(c: Context<AppEnv>): Promise<string> {
  const session = c.get('session')
  if (session) return session.accountId
  const [owner] = await ownersOf(peopleDb(c.env.PEOPLE), c.get('organization').id)
  if (!owner) throw new Error('a business without an owner cannot write to support')
  return owner.account_id
}

export const supportApi = new Hono<AppEnv>()
  .get('/', queryParams(ticketsQuery), async (c) =>
    c.json({ items: await listTickets(peopleDb(c.env.PEOPLE), c.get('organization').id, c.req.valid('query')) }),
  )
  .post('/', jsonBody(newTicket), async (c) => {
    const db = peopleDb(c.env.PEOPLE)
    const now = clock.now()
    const id = await openTicket(db, c.get('organization').id, await writerOf(c), c.req.valid('json'), now)
    await readTicket(c.env, db, id, now)
    return c.json({ ticket_id: id }, 201)
  })
  .get('/:id', async (c) =>
    c.json(await getTicket(peopleDb(c.env.PEOPLE), c.get('organization').id, c.req.param('id'))),
  )
  .post('/:id/replies', jsonBody(businessReply), async (c) => {
    const db = peopleDb(c.env.PEOPLE)
    const orgId = c.get('organization').id
    const id = c.req.param('id')
    const now = clock.now()
    await replyAsBusiness(db, orgId, id, await writerOf(c), c.req.valid('json').body, now)
    await readTicket(c.env, db, id, now)
    return c.json(await getTicket(db, orgId, id), 201)
  })
  .post('/:id/close', async (c) => {
    const db = peopleDb(c.env.PEOPLE)
    const orgId = c.get('organization').id
    await closeTicket(db, orgId, c.req.param('id'), clock.now())
    return c.json(await getTicket(db, orgId, c.req.param('id')))
  })
  .patch('/:id', jsonBody(businessPatch), async (c) => {
    const db = peopleDb(c.env.PEOPLE)
    const orgId = c.get('organization').id
    await closeTicket(db, orgId, c.req.param('id'), clock.now())
    return c.json(await getTicket(db, orgId, c.req.param('id')))
  })
