/**
 * /u/announcements/{token}: an owner stops HomeBase's announcements in one click. GET shows the
 * button (link scanners open links, so a GET changes nothing); POST opts out, from that button or
 * a mail client's RFC 8058 one-click request. Public: the signed token is the only credential.
 */
import { type Context, Hono } from 'hono'
import {
  AnnouncementsLinkInvalid,
  AnnouncementsUnsubscribedPage,
  AnnouncementsUnsubscribePage,
} from '../../../views/admin/announcements-unsubscribe'
import { clock } from '../../clock'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { accountOfToken, optOutOfAnnouncements } from '../../platform/announcements'

function invalidLink(c: Context<AppEnv>) {
  c.status(404)
  return c.render(<AnnouncementsLinkInvalid />, { title: 'Link not valid' })
}

export const announcementUnsubscribePages = new Hono<AppEnv>()
  .get('/:token', async (c) => {
    if (!(await accountOfToken(c.env, c.req.param('token')))) return invalidLink(c)
    return c.render(<AnnouncementsUnsubscribePage action={`/u/announcements/${c.req.param('token')}`} />, {
      title: 'Unsubscribe',
    })
  })
  .post('/:token', async (c) => {
    const account = await accountOfToken(c.env, c.req.param('token'))
    if (!account || !(await optOutOfAnnouncements(peopleDb(c.env.PEOPLE), account, clock.now()))) return invalidLink(c)
    return c.render(<AnnouncementsUnsubscribedPage />, { title: 'Unsubscribed' })
  })
