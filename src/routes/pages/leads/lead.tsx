/**
 * A lead's pages: the new-lead form, the lead page and its in-place edits (details, custom fields,
 * activities), and converting it to a client after a confirm step.
 */
import { type Context, Hono } from 'hono'
import type { LeadDetail } from '../../../../durable-objects/org/sales/leads/leads'
import type { LeadCustomFields } from '../../../../durable-objects/org/schema'
import type { FormErrors, FormValues } from '../../../../views/fields'
import { ActivitiesCard } from '../../../../views/leads/activities'
import { CustomFieldsCard, type FieldRows, rowsOf } from '../../../../views/leads/custom-fields'
import { EditLeadForm, NewLeadForm, NewLeadPage } from '../../../../views/leads/form'
import { ConvertPage, LeadPage, type LeadPageProps, LeadSaved } from '../../../../views/leads/lead'
import { fragment } from '../../../../views/layout'
import { authorOf } from '../../../clients/intake'
import type { AppEnv } from '../../../env'
import { AppError, type Issue, notFound } from '../../../errors'
import { convertLead } from '../../../sales/conversion'
import { leadCustomFields } from '../../../sales/lead-schemas'
import { callForm } from './call-form'
import { createLead, updateLead } from '../../../sales/leads'
import { sales } from '../../../sales/remote'
import { fieldErrors, formBody, formStrings, ID, isHtmx } from '../forms'
import { activityForm, customFieldsForm, editLeadForm, LEAD_FIELDS, leadRules, newLeadForm } from './forms'
import { leadsContext } from './load'

const page = (title: string) => ({ title, active: 'leads' as const, styles: ['/leads.css'] })

/** The lead, the activity types and the page's context; a 404 for an id this business does not hold. */
async function leadData(c: Context<AppEnv>, id: string) {
  const leads = sales(c.get('org')).leads
  const [lead, types, ctx] = await Promise.all([leads.getLead(id), leads.activityTypes(), leadsContext(c)])
  if (!lead) throw notFound('lead')
  return { lead, types, ctx }
}

/** The whole lead page, with whatever came back (a form with errors, a notice). */
async function leadPage(
  c: Context<AppEnv>,
  id: string,
  extra: Partial<LeadPageProps> = {},
  status: 200 | 409 | 422 = 200,
) {
  const data = await leadData(c, id)
  c.status(status)
  return c.render(<LeadPage {...data} {...extra} />, page(data.lead.first_name))
}

/** An API error's issues beside the form's fields. */
const issuesOf = (issues: Issue[]) =>
  fieldErrors(
    issues.map((i) => ({ path: i.path.split('.'), message: i.message })),
    LEAD_FIELDS,
  )

/** Runs `write`; a refusal naming fields comes back as form errors, anything else is thrown on. */
async function orErrors<T>(
  write: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; errors: FormErrors }> {
  try {
    return { ok: true, value: await write() }
  } catch (error) {
    if (error instanceof AppError && error.issues) return { ok: false, errors: issuesOf(error.issues) }
    throw error
  }
}

/** The new-lead form again, filled in, with errors beside the fields: a fragment for htmx, else the page. */
async function newLeadInvalid(c: Context<AppEnv>, values: FormValues, errors: FormErrors) {
  const ctx = await leadsContext(c)
  c.status(422)
  return isHtmx(c)
    ? fragment(c, <NewLeadForm values={values} errors={errors} ctx={ctx} />)
    : c.render(<NewLeadPage values={values} errors={errors} ctx={ctx} />, page('New lead'))
}

/** The edit card again with errors: a fragment for htmx, else the page. */
async function editInvalid(c: Context<AppEnv>, values: FormValues, errors: FormErrors) {
  const id = c.req.param('id')!
  if (!isHtmx(c)) return leadPage(c, id, { edit: { values, errors } }, 422)
  const { ctx } = await leadData(c, id)
  return fragment(c, <EditLeadForm id={id} values={values} errors={errors} ctx={ctx} />, 422)
}

/** The activities card after a change or a refusal: a fragment for htmx, else the page. */
async function activitiesAnswer(
  c: Context<AppEnv>,
  id: string,
  said: { values?: FormValues; errors?: FormErrors; notice?: string },
  status: 200 | 409 | 422 = 200,
  form: 'activity' | 'call' = 'activity',
) {
  if (!isHtmx(c)) return leadPage(c, id, { [form]: { values: said.values ?? {}, errors: said.errors ?? {} } }, status)
  const { lead, types, ctx } = await leadData(c, id)
  const { values, errors, notice } = said
  const call = { action: `/app/leads/${id}/calls`, ...(form === 'call' ? { values, errors } : {}) }
  return fragment(
    c,
    <ActivitiesCard
      action={lead.is_converted ? undefined : `/app/leads/${id}/activities`}
      items={lead.activities}
      types={types}
      tz={ctx.tz}
      team={ctx.team}
      notice={notice}
      {...(form === 'activity' ? { values, errors } : {})}
      call={lead.is_converted ? undefined : call}
    />,
    status,
  )
}

/**
 * The posted rows as custom fields: blank rows dropped, a value kept as it was stored (a number
 * stays a number) unless its text changed. An error names what to fix.
 */
function fieldsOf(names: string[], values: string[], stored: LeadCustomFields) {
  const fields: LeadCustomFields = {}
  const rows: FieldRows = []
  let error: string | undefined
  names.forEach((raw, i) => {
    const name = raw.trim()
    const value = values[i] ?? ''
    if (!name) {
      if (value.trim()) error ??= 'Give each value a name, or clear it.'
      if (value.trim()) rows.push(['', value])
      return
    }
    if (Object.hasOwn(fields, name)) error ??= `“${name}” is there twice: give each field its own name.`
    rows.push([name, value])
    const was = stored[name]
    fields[name] = Object.hasOwn(stored, name) && String(was ?? '') === value ? (was ?? null) : value
  })
  const checked = leadCustomFields.safeParse(fields)
  if (!error && !checked.success) error = checked.error.issues[0]?.message ?? 'These fields cannot be saved.'
  return { fields, rows, error }
}

/** The custom fields card after a change or a refusal. */
async function fieldsAnswer(
  c: Context<AppEnv>,
  lead: LeadDetail,
  said: { rows?: FieldRows; error?: string; notice?: string },
  status: 200 | 422 = 200,
) {
  if (!isHtmx(c)) {
    if (status === 200) return c.redirect(`/app/leads/${lead.id}#custom-fields`, 303)
    return leadPage(c, lead.id, { fields: { rows: said.rows ?? [], error: said.error } }, status)
  }
  const rows = said.rows ?? rowsOf(lead.custom_fields)
  return fragment(
    c,
    <CustomFieldsCard
      id={lead.id}
      rows={rows}
      version={lead.custom_fields_version}
      error={said.error}
      notice={said.notice}
    />,
    status,
  )
}

/** The confirm step again, saying why the lead was not converted; a lead converted already (a replayed form) just opens. */
async function convertRefused(c: Context<AppEnv>, id: string, message: string, status: 409 | 422) {
  const { lead } = await leadData(c, id)
  if (lead.is_converted) return c.redirect(`/app/leads/${id}`, 303)
  c.status(status)
  return c.render(<ConvertPage lead={lead} error={message} />, page('Convert to client'))
}

export const leadPages = new Hono<AppEnv>()
  .get('/new', async (c) => {
    const ctx = await leadsContext(c)
    const values = { source: 'manual', status_id: ctx.statuses.find((s) => s.kind === 'open')?.id }
    return c.render(<NewLeadPage values={values} errors={{}} ctx={ctx} />, page('New lead'))
  })
  .post('/', formBody(newLeadForm, newLeadInvalid, { rules: leadRules, fields: LEAD_FIELDS }), async (c) => {
    const created = await orErrors(() => createLead(c.env, c.get('organization'), c.req.valid('form')))
    if (!created.ok) return newLeadInvalid(c, await formStrings(c), created.errors)
    const url = `/app/leads/${created.value.id}`
    if (isHtmx(c)) {
      c.header('HX-Redirect', url)
      return c.body(null, 201)
    }
    return c.redirect(url, 303)
  })
  .get(`/:id{${ID}}`, async (c) =>
    leadPage(c, c.req.param('id'), { notice: c.req.query('saved') ? 'Saved.' : undefined }),
  )
  .post(`/:id{${ID}}`, formBody(editLeadForm, editInvalid, { rules: leadRules, fields: LEAD_FIELDS }), async (c) => {
    const id = c.req.param('id')
    const session = c.get('session')!
    const saved = await orErrors(() =>
      updateLead(c.env, c.get('organization'), id, c.req.valid('form'), session.accountId),
    )
    if (!saved.ok) return editInvalid(c, await formStrings(c), saved.errors)
    if (!isHtmx(c)) return c.redirect(`/app/leads/${id}?saved=1`, 303)
    const { lead, types, ctx } = await leadData(c, id)
    return fragment(c, <LeadSaved lead={lead} types={types} ctx={ctx} />)
  })
  .post(
    `/:id{${ID}}/fields`,
    formBody(customFieldsForm, (c) => leadPage(c, c.req.param('id')!, {}, 422)),
    async (c) => {
      const id = c.req.param('id')
      const { lead } = await leadData(c, id)
      const { name, value } = c.req.valid('form')
      const { fields, rows, error } = fieldsOf(name, value, lead.custom_fields)
      if (error) return fieldsAnswer(c, lead, { rows, error }, 422)
      const result = await sales(c.get('org')).leads.updateLead(
        id,
        { custom_fields: fields },
        c.get('session')!.accountId,
      )
      if (!result.ok) {
        if (result.error.status === 404) throw notFound('lead')
        return fieldsAnswer(c, lead, { rows, error: result.error.message }, 422)
      }
      return fieldsAnswer(c, { ...lead, ...result.value }, { notice: 'Saved.' })
    },
  )
  .post(
    `/:id{${ID}}/activities`,
    formBody(activityForm, (c, values, errors) => activitiesAnswer(c, c.req.param('id')!, { values, errors }, 422)),
    async (c) => {
      const id = c.req.param('id')
      const result = await sales(c.get('org')).leads.addActivity(
        { lead_id: id },
        { ...c.req.valid('form'), author_id: c.get('session')!.accountId },
      )
      if (!result.ok) {
        const { status, message, issues } = result.error
        if (status === 404) throw notFound('lead')
        const values = await formStrings(c)
        const errors = issues ? issuesOf(issues) : { form: message }
        return activitiesAnswer(c, id, { values, errors }, status === 409 ? 409 : 422)
      }
      if (!isHtmx(c)) return c.redirect(`/app/leads/${id}#activities`, 303)
      return activitiesAnswer(c, id, { notice: 'Logged.' })
    },
  )
  .post(
    `/:id{${ID}}/calls`,
    formBody(callForm, (c, values, errors) => activitiesAnswer(c, c.req.param('id')!, { values, errors }, 422, 'call')),
    async (c) => {
      const id = c.req.param('id')
      const result = await sales(c.get('org')).calls.logCall(
        { lead_id: id },
        { ...c.req.valid('form'), author_id: c.get('session')!.accountId },
      )
      if (!result.ok) {
        const { status, message, issues } = result.error
        if (status === 404) throw notFound('lead')
        const errors = issues ? issuesOf(issues) : { form: message }
        return activitiesAnswer(c, id, { values: await formStrings(c), errors }, status === 409 ? 409 : 422, 'call')
      }
      if (!isHtmx(c)) return c.redirect(`/app/leads/${id}#activities`, 303)
      return activitiesAnswer(c, id, { notice: 'Call logged.' })
    },
  )
  .get(`/:id{${ID}}/convert`, async (c) => {
    const { lead } = await leadData(c, c.req.param('id'))
    if (lead.is_converted) return c.redirect(`/app/leads/${lead.id}`, 303)
    return c.render(<ConvertPage lead={lead} />, page('Convert to client'))
  })
  .post(`/:id{${ID}}/convert`, async (c) => {
    const id = c.req.param('id')
    const session = c.get('session')!
    try {
      await convertLead(c.env, c.get('organization'), id, authorOf(session), session.accountId)
    } catch (error) {
      if (error instanceof AppError && (error.status === 400 || error.status === 409))
        return convertRefused(c, id, error.message, error.status === 409 ? 409 : 422)
      throw error
    }
    return c.redirect(`/app/leads/${id}`, 303)
  })
