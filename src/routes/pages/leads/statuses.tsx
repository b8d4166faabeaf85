/**
 * /app/leads/statuses: the pipeline's steps. Everyone on the team reads them; owners and admins
 * add, edit (name, colour, icon, kind), move and delete them through the same calls as the API,
 * whose refusals (a step leads still use, the last of its kind) are shown in its words. Every
 * change answers with the whole section for htmx, else goes back to the page.
 */
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import type { LeadStatus } from '../../../../durable-objects/org/sales/leads/statuses'
import { LEAD_STATUS_KINDS } from '../../../../durable-objects/org/schema'
import type { Result } from '../../../../durable-objects/org/result'
import type { FormErrors, FormValues } from '../../../../views/fields'
import { fragment } from '../../../../views/layout'
import { STATUS_ICONS, StatusesPage, StatusesSection, type StatusesProps } from '../../../../views/leads/statuses'
import type { AppEnv } from '../../../env'
import { notFound } from '../../../errors'
import { requireRole } from '../../../http/auth'
import { leadStatusPatch, leadStatusSchema } from '../../../sales/lead-schemas'
import { sales } from '../../../sales/remote'
import { type FormRules, formBody, formStrings, intoApi, isHtmx, text } from '../forms'

const PAGE = { title: 'Pipeline steps', active: 'leads' as const, styles: ['/leads.css'] }

/** A status id as the pipeline spells them: the defaults' `ls_new` as well as generated UUIDs. */
const STATUS_ID = '[A-Za-z0-9_-]{1,64}'

const manage = requireRole('owner', 'admin')

const fields = z.object({
  name: text(60, 'Name the step.'),
  color: z
    .string()
    .trim()
    .regex(/^#[0-9a-fA-F]{6}$/, 'Pick a colour.'),
  icon: z
    .string()
    .trim()
    .max(40)
    .optional()
    .transform((v) => v || null),
  kind: z.enum(LEAD_STATUS_KINDS, { message: 'Pick open, won or lost.' }),
})

const toApi = (v: z.output<typeof fields>) => ({ name: v.name, color: v.color, icon: v.icon, kind: v.kind })

/** The add form, read into the API's new status; its place is a number of the Place picker. */
const addForm = intoApi(
  fields.extend({ position: z.coerce.number({ message: 'Pick where it goes.' }).int().min(0) }),
  (v) => ({ ...toApi(v), position: v.position }),
  leadStatusSchema,
)

/** The edit form: every field of the row, saved together. */
const editForm = intoApi(fields, toApi, leadStatusPatch)

/** Up or down: the place (0 first) the step moves to, so a form sent twice moves it once. */
const moveForm = z.object({ to: z.coerce.number().int().min(0).max(1000) })

/** An icon from the page's set, or the one the step already has (a word set through the API stays). */
const iconRule: FormRules = async (values, c) => {
  const icon = values['icon']?.trim()
  if (!icon || STATUS_ICONS[icon]) return {}
  const id = c.req.param('id')
  const own = id ? (await sales(c.get('org')).leads.listStatuses()).find((s) => s.id === id) : undefined
  return own?.icon === icon ? {} : { icon: 'Pick one of the icons.' }
}

/** The steps in order with how many open leads sit in each, read in one call. */
async function lists(c: Context<AppEnv>): Promise<Pick<StatusesProps, 'statuses' | 'counts'>> {
  const columns = await sales(c.get('org')).leads.board({ cards_per_status: 0 })
  return {
    statuses: columns.map((col) => col.status),
    counts: Object.fromEntries(columns.map((col) => [col.status.id, col.count])),
  }
}

/** The section (htmx) or the page, with `extra` state. */
async function answer(c: Context<AppEnv>, extra: Partial<StatusesProps> = {}, status: 200 | 201 | 409 | 422 = 200) {
  const props = { ...(await lists(c)), ...extra }
  c.status(status)
  return isHtmx(c) ? fragment(c, <StatusesSection {...props} />) : c.render(<StatusesPage {...props} />, PAGE)
}

/**
 * After a call: a 404 for a step this business does not have; a refusal (409, or the API's 400)
 * shown on the section in the API's words; else the section with `notice` for htmx, or back to the page.
 */
async function after<T>(
  c: Context<AppEnv>,
  result: Result<T>,
  notice: (value: T) => string,
  status: 200 | 201 = 200,
  refused: Partial<StatusesProps> = {},
) {
  if (!result.ok) {
    if (result.error.status === 404) throw notFound('lead status')
    return answer(c, { ...refused, error: result.error.message }, result.error.status === 409 ? 409 : 422)
  }
  if (!isHtmx(c)) return c.redirect('/app/leads/statuses', 303)
  return answer(c, { notice: notice(result.value) }, status)
}

/** The step of the route's id among the business's own with its place in the list (0 first), or a 404. */
async function statusOf(c: Context<AppEnv>): Promise<{ status: LeadStatus; at: number }> {
  const id = c.req.param('id')
  const all = await sales(c.get('org')).leads.listStatuses()
  const at = all.findIndex((s) => s.id === id)
  if (at < 0) throw notFound('lead status')
  return { status: all[at]!, at }
}

const addInvalid = (c: Context<AppEnv>, values: FormValues, errors: FormErrors) => answer(c, { values, errors }, 422)
const editInvalid = (c: Context<AppEnv>, values: FormValues, errors: FormErrors) =>
  answer(c, { editing: { id: c.req.param('id')!, values, errors } }, 422)

export const statusPages = new Hono<AppEnv>()
  .get('/', (c) => answer(c))
  .post('/', manage, formBody(addForm, addInvalid, { rules: iconRule }), async (c) => {
    const result = await sales(c.get('org')).leads.createStatus(c.req.valid('form'))
    return after(c, result, (s) => `Added ${s.name}.`, 201)
  })
  .get(`/:id{${STATUS_ID}}/edit`, manage, async (c) => answer(c, { editing: { id: (await statusOf(c)).status.id } }))
  .post(`/:id{${STATUS_ID}}`, manage, formBody(editForm, editInvalid, { rules: iconRule }), async (c) => {
    const id = c.req.param('id')
    const result = await sales(c.get('org')).leads.updateStatus(id, c.req.valid('form'))
    // A refused kind change keeps the row open with what was typed.
    return after(c, result, (s) => `Saved ${s.name}.`, 200, { editing: { id, values: await formStrings(c) } })
  })
  .post(
    `/:id{${STATUS_ID}}/move`,
    manage,
    formBody(moveForm, () => {
      throw notFound('lead status')
    }),
    async (c) => {
      const { status, at } = await statusOf(c)
      const { to } = c.req.valid('form')
      const result = await sales(c.get('org')).leads.updateStatus(status.id, { position: to })
      return after(c, result, (s) =>
        s.position === at ? `${s.name} stays where it is.` : `Moved ${s.name} ${to < at ? 'up' : 'down'}.`,
      )
    },
  )
  .post(`/:id{${STATUS_ID}}/delete`, manage, async (c) => {
    const { status } = await statusOf(c)
    const result = await sales(c.get('org')).leads.deleteStatus(status.id)
    return after(c, result, () => `Deleted ${status.name}.`)
  })
