/** /dev/outbox: in local development every organization's messages whole; otherwise an owner sees their own, homeowners' codes hidden. */
import { and, desc, eq, notLike } from 'drizzle-orm'
import { Hono } from 'hono'
import { getCookie } from 'hono/cookie'
import { loadSession, SESSION_COOKIE } from '../../auth/sessions'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { forbidden } from '../../errors'
import { organizations, outbox } from '../../people/schema'
import { maskCodes } from '../../portal/deliver-code'
import { OutboxPage } from '../../../views/outbox'

export const outboxPages = new Hono<AppEnv>().get('/', async (c) => {
  const db = peopleDb(c.env.PEOPLE)
  let only: string | null = null
  if (c.env.APP_ENV !== 'development') {
    const token = getCookie(c, SESSION_COOKIE)
    const session = token ? await loadSession(db, token) : null
    if (!session) return c.redirect('/login?next=%2Fdev%2Foutbox', 303)
    if (session.role !== 'owner') throw forbidden('Only the owner can see the outbox.')
    only = session.organization.id
  }
  const rows = await db
    .select({
      id: outbox.id,
      channel: outbox.channel,
      to: outbox.to,
      from: outbox.from,
      subject: outbox.subject,
      body: outbox.body,
      created_at: outbox.createdAt,
      organization: organizations.name,
    })
    .from(outbox)
    .innerJoin(organizations, eq(organizations.id, outbox.organizationId))
    // A member's reset link would let the owner take over their account: outside local development nobody sees those here.
    .where(only ? and(eq(outbox.organizationId, only), notLike(outbox.messageId, 'password_reset:%')) : undefined)
    .orderBy(desc(outbox.createdAt))
    .limit(200)
    .all()
  // Outside local development the reader is a business owner: a homeowner's code would open their other providers.
  const whole = c.env.APP_ENV === 'development'
  const items = whole ? rows : rows.map((m) => ({ ...m, body: maskCodes(m.body) }))
  return c.html(
    <OutboxPage
      items={items}
      scope={only ? 'your business' : 'every business, local development'}
      codesHidden={!whole}
    />,
  )
})
