/**
 * The public request form /book/{slug}: no sign-in, and no origin check, since a business may put
 * the form on its own site. A request becomes a `web_form` lead and an email to the owners and
 * admins. Bots are turned away quietly with the same thank-you (a filled honeypot, a form sent
 * within 2 seconds of being shown, a replayed form); people and bots alike are rate-limited.
 */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { unwrap } from '../../../durable-objects/org/result'
import {
  BookNotFoundPage,
  RequestFormPage,
  RequestLimitPage,
  RequestThanksPage,
} from '../../../views/book/request-form'
import type { FormErrors, FormValues } from '../../../views/fields'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { orgStub, type Organization } from '../../organizations'
import { normalizePhone } from '../../people/normalize'
import { sales } from '../../sales/remote'
import {
  firstUse,
  judgeStamp,
  organizationBySlug,
  signStamp,
  spendRequest,
  staffToTell,
} from '../../sales/request-form'
import { fieldErrors, formValues, optionalEmail, optionalText, PHONE_HELP, text } from '../pages/forms'

const requestForm = z
  .object({
    first_name: text(100, 'Enter your first name.'),
    last_name: optionalText(100),
    email: optionalEmail,
    phone: optionalText(40),
    message: optionalText(2000),
    service_id: optionalText(100),
  })
  .refine((v) => v.email !== undefined || v.phone !== undefined, {
    path: ['email'],
    message: 'Enter an email or a phone number so the business can reach you.',
  })

/** The signing key of the form's stamp (the portal's link key). */
const keyOf = (c: Context<AppEnv>) => c.env.PORTAL_SIGNING_KEY ?? ''

/** The business's active services as picker options. */
async function serviceOptions(c: Context<AppEnv>, organization: Organization) {
  const services = await orgStub(c.env, organization.id).listServices()
  return services.map((s) => ({ value: s.id, label: s.name }))
}

/** The form, fresh or filled back in with what was wrong. */
async function showForm(
  c: Context<AppEnv>,
  organization: Organization,
  status: 200 | 422 = 200,
  extra: { values?: FormValues; errors?: FormErrors; notice?: string } = {},
) {
  c.header('Cache-Control', 'no-store')
  return c.html(
    <RequestFormPage
      business={organization.name}
      slug={c.req.param('slug')!}
      services={await serviceOptions(c, organization)}
      stamp={await signStamp(keyOf(c), organization.id)}
      {...extra}
    />,
    status,
  )
}

const thanks = (c: Context<AppEnv>, organization: Organization) =>
  c.html(<RequestThanksPage business={organization.name} />)

const unknown = (c: Context<AppEnv>) => c.html(<BookNotFoundPage />, 404)

export const bookPages = new Hono<AppEnv>()
  .get('/:slug', async (c) => {
    const organization = await organizationBySlug(peopleDb(c.env.PEOPLE), c.req.param('slug'))
    if (!organization) return unknown(c)
    return showForm(c, organization)
  })
  .post('/:slug', async (c) => {
    const db = peopleDb(c.env.PEOPLE)
    const organization = await organizationBySlug(db, c.req.param('slug'))
    if (!organization) return unknown(c)
    const body = await c.req.parseBody()
    const values = formValues(body)
    // A bot: the same thank-you, nothing written.
    if ((values['website'] ?? '').trim() !== '') return thanks(c, organization)
    const stamp = await judgeStamp(keyOf(c), organization.id, values['stamp'])
    if (stamp.verdict === 'bot') return thanks(c, organization)
    if (stamp.verdict !== 'ok')
      return showForm(c, organization, 200, {
        values,
        notice: 'This page was open for a long time: check your request and send it again.',
      })

    const parsed = requestForm.safeParse(body)
    const errors: FormErrors = parsed.success ? {} : fieldErrors(parsed.error.issues)
    const phone = parsed.success && parsed.data.phone ? normalizePhone(parsed.data.phone, organization.country) : null
    if (parsed.success && parsed.data.phone && phone === null) errors['phone'] = PHONE_HELP
    const services = await serviceOptions(c, organization)
    const serviceId = parsed.success ? parsed.data.service_id : undefined
    if (serviceId && !services.some((s) => s.value === serviceId)) errors['service_id'] = 'Pick one of the services.'
    if (!parsed.success || Object.values(errors).some(Boolean))
      return showForm(c, organization, 422, { values, errors })

    const wait = await spendRequest(db, organization.id, c.req.header('cf-connecting-ip') ?? 'unknown')
    if (wait !== null) {
      c.header('Retry-After', String(wait))
      return c.html(<RequestLimitPage business={organization.name} retryAfter={wait} />, 429)
    }
    // The same form sent twice (a double tap, a replay) makes one request.
    if (!(await firstUse(db, organization.id, stamp.nonce))) return thanks(c, organization)

    const { message, service_id, ...person } = parsed.data
    unwrap(
      await sales(orgStub(c.env, organization.id)).leads.createRequest(
        { ...person, phone: phone ?? undefined, message, service_id },
        await staffToTell(db, organization.id),
      ),
    )
    return thanks(c, organization)
  })
