/** Announcements: an operator's email to the owners of a filtered set of businesses. */
import { asc } from 'drizzle-orm'
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { AnnouncementPage } from '../../../views/admin/announcements-draft'
import { AnnouncementsPage } from '../../../views/admin/announcements'
import type { FormErrors, FormValues } from '../../../views/fields'
import type { PageProps } from '../../../views/layout'
import { clock } from '../../clock'
import { type PeopleDb, peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { ENGAGEMENTS, plans } from '../../people/schema'
import {
  type Audience,
  countAudience,
  draftAnnouncement,
  getAnnouncement,
  listAnnouncements,
  sendAnnouncement,
} from '../../platform/announcements'
import { isIsoDate } from '../../time'
import { type FormRules, formBody, ID, optionalText, text } from '../pages/forms'

const PAGE: PageProps = { title: 'Announcements', styles: ['/support.css'] }

const optionalDate = optionalText(10).refine((v) => v === undefined || isIsoDate(v), 'Pick a date.')

const announcementForm = z.object({
  subject: text(200, 'Give it a subject.'),
  body: text(20_000, 'Write the message.'),
  plan: optionalText(40),
  engagement: z.preprocess((v) => (v === '' ? undefined : v), z.enum(ENGAGEMENTS).optional()),
  signup_from: optionalDate,
  signup_to: optionalDate,
})

/** The signup range must run forwards. */
const rangeRule: FormRules = (v) =>
  v['signup_from'] && v['signup_to'] && v['signup_from'] > v['signup_to']
    ? { signup_to: 'Pick a date on or after the first one.' }
    : {}

/** The plans as the form's options (id → name). */
async function planOptions(db: PeopleDb) {
  const rows = await db.select({ value: plans.id, label: plans.name }).from(plans).orderBy(asc(plans.position)).all()
  return rows
}

async function listPage(c: Context<AppEnv>, values?: FormValues, errors?: FormErrors) {
  const db = peopleDb(c.env.PEOPLE)
  if (errors) c.status(422)
  return c.render(
    <AnnouncementsPage
      items={await listAnnouncements(db)}
      plans={await planOptions(db)}
      values={values}
      errors={errors}
    />,
    PAGE,
  )
}

const baseUrlOf = (c: Context<AppEnv>) => c.env.PUBLIC_BASE_URL ?? new URL(c.req.url).origin

export const adminAnnouncementsPages = new Hono<AppEnv>()
  .get('/', (c) => listPage(c))
  .post(
    '/',
    formBody(announcementForm, (c, values, errors) => listPage(c, values, errors), { rules: rangeRule }),
    async (c) => {
      const { subject, body, ...filters } = c.req.valid('form')
      const audience = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as Audience
      const id = await draftAnnouncement(
        peopleDb(c.env.PEOPLE),
        { subject, body, audience },
        c.get('session')!.accountId,
        clock.now(),
      )
      return c.redirect(`/admin/announcements/${id}`, 303)
    },
  )
  .get(`/:id{${ID}}`, async (c) => {
    const db = peopleDb(c.env.PEOPLE)
    const announcement = await getAnnouncement(db, c.req.param('id'))
    const reach = announcement.sent_at ? { owners: 0, opted_out: 0 } : await countAudience(db, announcement.audience)
    const planNames = Object.fromEntries((await planOptions(db)).map((o) => [o.value, o.label]))
    return c.render(<AnnouncementPage announcement={announcement} reach={reach} planNames={planNames} />, {
      ...PAGE,
      title: announcement.subject,
    })
  })
  .post(`/:id{${ID}}/send`, async (c) => {
    await sendAnnouncement(c.env, peopleDb(c.env.PEOPLE), c.req.param('id'), baseUrlOf(c), clock.now())
    return c.redirect(`/admin/announcements/${c.req.param('id')}`, 303)
  })
