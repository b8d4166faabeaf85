/** Staff pages for journeys: the list, new (blank or from a starter), the builder with htmx step edits, enrollments. */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { Journey, SettingsPatch, StepInput } from '../../../durable-objects/org/journeys/definitions'
import type { StepEdit } from '../../../durable-objects/org/journeys/edits'
import { STARTERS } from '../../../durable-objects/org/journeys/starters'
import { wordingOf, type JourneyVars } from '../../../durable-objects/org/journeys/wording'
import { unwrap, type Result } from '../../../durable-objects/org/result'
import { ENROLLMENT_STATUSES, JOURNEY_STATUSES, JOURNEY_TRIGGERS, STEP_TYPES, STOP_CONDITIONS, TRIGGER_SOURCES } from '../../../durable-objects/org/schema'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { requireCsrfToken, requireRole, requireSession } from '../../http/auth'
import { isClockTime } from '../../time'
import type { FormErrors, FormValues } from '../../../views/fields'
import { EnrollmentsPage } from '../../../views/journey-enrollments'
import { StepsSection, type StepsProps } from '../../../views/journey-steps'
import { JourneyPage, JourneysPage, NewJourneyPage, SettingsCard, type BuilderProps } from '../../../views/journeys'
import { TemplatePreview } from '../../../views/messages'
import { stepSchema } from '../journeys'
import { fieldErrors, formStrings, ID, isHtmx } from './forms'
import { pickerClients } from './lookups'

const UNIT_MINUTES: Record<string, number> = { minutes: 1, hours: 60, days: 1440 }
const newJourneyForm = z.object({ name: z.string().trim().min(1, 'Give the journey a name.').max(120), trigger_event: z.enum(JOURNEY_TRIGGERS) })
const ownerOrAdmin = requireRole('owner', 'admin')

/** The journey or a 404. */
async function journeyOf(c: Context<AppEnv>): Promise<Journey> {
  const journey = await c.get('org').getJourney(c.req.param('id')!)
  if (!journey) throw notFound('journey')
  return journey
}

/** What the steps section needs besides the journey: clients to preview with and the chosen one's details. */
async function previewContext(c: Context<AppEnv>, chosen?: string): Promise<Pick<StepsProps, 'clients' | 'sample'>> {
  const clients = await pickerClients(c, chosen || undefined)
  const client = clients.find((x) => x.org_client_id === chosen) ?? clients[0]
  const origin = c.env.PUBLIC_BASE_URL ?? new URL(c.req.url).origin
  const vars: JourneyVars = { first_name: client?.first_name ?? 'Jordan', business_name: c.get('organization').name, portal_link: `${origin}/p/…`, review_link: `${origin}/r/…` }
  return { clients, sample: { id: client?.org_client_id ?? null, vars } }
}

async function builderProps(c: Context<AppEnv>, journey: Journey, chosen?: string): Promise<BuilderProps> {
  return { session: c.get('session')!, journey, ...(await previewContext(c, chosen)) }
}

/** The steps section, or for a plain form post the builder page again. */
async function answerSteps(c: Context<AppEnv>, props: StepsProps, status: 200 | 422 = 200) {
  if (!isHtmx(c) && status === 200) return c.redirect(`/app/journeys/${props.journey.id}?client=${props.sample.id ?? ''}`, 303)
  return c.html(isHtmx(c) ? <StepsSection {...props} /> : <JourneyPage {...props} />, status)
}

/** A step as the form describes it, or the errors beside its fields. */
function stepFromForm(f: FormValues): { step: StepInput } | { errors: FormErrors } {
  const type = f['type']
  const text = (k: string) => (f[k] ?? '').trim()
  const target = (k: string) => (/^\d+$/.test(text(k)) ? Number(text(k)) : text(k) || 'continue')
  const raw = type === 'wait' ? { type, delay_minutes: Number(text('amount')) * (UNIT_MINUTES[text('unit')] ?? 1) }
    : type === 'sms' ? { type, body: text('body'), purpose: text('purpose') || undefined }
    : type === 'email' ? { type, subject: text('subject'), body: text('body'), purpose: text('purpose') || undefined }
    : type === 'review_request' ? { type, channel: text('channel'), subject: text('subject') || undefined, body: text('body') || undefined }
    : { type, condition: text('condition'), on_true: target('on_true'), on_false: target('on_false') }
  const parsed = stepSchema.safeParse(raw)
  if (parsed.success) return { step: parsed.data }
  const errors = fieldErrors(parsed.error.issues)
  return { errors: { ...errors, ...(errors['delay_minutes'] || type === 'wait' && !/^\d+$/.test(text('amount')) ? { amount: 'Enter a whole number of at least 1.' } : {}) } }
}

/** Applies one step edit and answers with the steps section; a refused edit comes back in its open form. */
async function editSteps(c: Context<AppEnv>, edit: StepEdit, notice: string, form?: { open: StepsProps['open']; values: FormValues }) {
  const values = await formStrings(c)
  const result: Result<Journey> = await c.get('org').editJourneySteps(c.req.param('id')!, edit)
  if (!result.ok && result.error.status === 404) unwrap(result)
  if (result.ok) return answerSteps(c, { ...(await builderProps(c, result.value, values['client'])), notice })
  const errors = fieldErrors((result.error.issues ?? []).map((i) => ({ path: i.path.split('.'), message: i.message })))
  return answerSteps(c, { ...(await builderProps(c, await journeyOf(c), values['client'])), ...form, errors }, 422)
}

/** Settings as the form describes them, or the errors beside their fields. */
async function settingsFromForm(c: Context<AppEnv>): Promise<{ values: FormValues; patch?: { name: string; trigger_event: Journey['trigger_event']; trigger_source: Journey['trigger_source']; settings: SettingsPatch }; errors: FormErrors }> {
  const body = await c.req.parseBody({ all: true })
  const values = await formStrings(c)
  const stops = ([] as unknown[]).concat(body['stop_on'] ?? []).filter((s): s is (typeof STOP_CONDITIONS)[number] => (STOP_CONDITIONS as readonly unknown[]).includes(s))
  values['stop_on'] = stops.join(',')
  const v = (k: string) => (values[k] ?? '').trim()
  const errors: FormErrors = {}
  if (!v('name')) errors['name'] = 'Give the journey a name.'
  if ((v('quiet_start') || v('quiet_end')) && !(isClockTime(v('quiet_start')) && isClockTime(v('quiet_end')))) errors['quiet_start'] = 'Give both times, or leave both empty.'
  if (v('reentry_mode') !== 'never' && !/^\d{1,4}$/.test(v('reentry_days'))) errors['reentry_days'] = 'Enter a whole number of days.'
  const trigger = z.enum(JOURNEY_TRIGGERS).safeParse(v('trigger_event'))
  const source = z.enum(TRIGGER_SOURCES).safeParse(v('trigger_source'))
  if (Object.keys(errors).length > 0 || !trigger.success || !source.success) return { values, errors }
  return { values, errors, patch: {
    name: v('name').slice(0, 120), trigger_event: trigger.data, trigger_source: source.data,
    settings: {
      stop_on: stops,
      quiet_hours: v('quiet_start') ? { start: v('quiet_start'), end: v('quiet_end') } : null,
      reentry: v('reentry_mode') === 'never' ? { mode: 'never' } : { mode: 'after_days', days: Number(v('reentry_days')) },
    },
  } }
}

export const journeyPages = new Hono<AppEnv>()
  .use('*', requireSession, requireCsrfToken)
  .get('/', async (c) => c.html(<JourneysPage session={c.get('session')!} journeys={await c.get('org').listJourneys()} />))
  .get('/new', (c) => c.html(<NewJourneyPage session={c.get('session')!} starters={STARTERS} />))
  .post('/', ownerOrAdmin, async (c) => {
    const values = await formStrings(c)
    const parsed = newJourneyForm.safeParse(values)
    if (!parsed.success) return c.html(<NewJourneyPage session={c.get('session')!} starters={STARTERS} values={values} errors={fieldErrors(parsed.error.issues)} />, 422)
    const { journey_id } = unwrap(await c.get('org').createJourney({ ...parsed.data, status: 'draft', steps: [] }))
    return c.redirect(`/app/journeys/${journey_id}`, 303)
  })
  .post('/from/:key', ownerOrAdmin, async (c) => {
    const { journey_id } = unwrap(await c.get('org').createJourneyFromStarter(c.req.param('key')))
    return c.redirect(`/app/journeys/${journey_id}`, 303)
  })
  .get(`/:id{${ID}}`, async (c) => {
    const props = await builderProps(c, await journeyOf(c), c.req.query('client'))
    const edit = c.req.query('edit')
    const add = z.enum(STEP_TYPES).safeParse(c.req.query('add'))
    const open = edit && /^\d+$/.test(edit) && Number(edit) < props.journey.steps.length ? { position: Number(edit) } : add.success ? { adding: add.data } : undefined
    return c.html(<JourneyPage {...props} open={open} />)
  })
  .get(`/:id{${ID}}/steps`, async (c) => c.html(<StepsSection {...await builderProps(c, await journeyOf(c), c.req.query('client'))} />))
  .get(`/:id{${ID}}/steps/new`, async (c) => {
    const type = z.enum(STEP_TYPES).catch('sms').parse(c.req.query('type'))
    return c.html(<StepsSection {...await builderProps(c, await journeyOf(c), c.req.query('client'))} open={{ adding: type }} />)
  })
  .get(`/:id{${ID}}/steps/:position{[0-9]+}/edit`, async (c) => {
    const props = await builderProps(c, await journeyOf(c), c.req.query('client'))
    const position = Number(c.req.param('position'))
    if (position >= props.journey.steps.length) throw notFound('step')
    return c.html(<StepsSection {...props} open={{ position }} />)
  })
  .post(`/:id{${ID}}/steps`, ownerOrAdmin, async (c) => {
    const values = await formStrings(c)
    const type = z.enum(STEP_TYPES).catch('sms').parse(values['type'])
    const parsed = stepFromForm(values)
    if ('errors' in parsed) return answerSteps(c, { ...(await builderProps(c, await journeyOf(c), values['client'])), open: { adding: type }, values, errors: parsed.errors }, 422)
    return editSteps(c, { op: 'add', step: parsed.step }, 'Step added.', { open: { adding: type }, values })
  })
  .post(`/:id{${ID}}/steps/:position{[0-9]+}`, ownerOrAdmin, async (c) => {
    const values = await formStrings(c)
    const position = Number(c.req.param('position'))
    const parsed = stepFromForm(values)
    if ('errors' in parsed) return answerSteps(c, { ...(await builderProps(c, await journeyOf(c), values['client'])), open: { position }, values, errors: parsed.errors }, 422)
    return editSteps(c, { op: 'replace', position, step: parsed.step }, `Step ${position + 1} saved.`, { open: { position }, values })
  })
  .post(`/:id{${ID}}/steps/:position{[0-9]+}/:move{up|down}`, ownerOrAdmin, async (c) => {
    const position = Number(c.req.param('position'))
    const by = c.req.param('move') === 'up' ? -1 : 1
    return editSteps(c, { op: 'move', position, by }, `Step ${position + 1} moved ${c.req.param('move')}.`)
  })
  .post(`/:id{${ID}}/steps/:position{[0-9]+}/delete`, ownerOrAdmin, async (c) => {
    const position = Number(c.req.param('position'))
    return editSteps(c, { op: 'delete', position }, `Step ${position + 1} deleted.`)
  })
  .post(`/:id{${ID}}/preview`, async (c) => {
    const values = await formStrings(c)
    const { sample } = await previewContext(c, values['client'])
    const parsed = stepFromForm(values)
    if ('errors' in parsed || parsed.step.type === 'wait' || parsed.step.type === 'branch') return c.html(<p class="muted small">Type a message to see it as the client will.</p>)
    const w = wordingOf(parsed.step, sample.vars)
    return c.html(<TemplatePreview channel={w.channel} subject={w.subject ?? ''} body={w.body} sample={`${sample.vars.first_name}'s details`} />)
  })
  .post(`/:id{${ID}}/settings`, ownerOrAdmin, async (c) => {
    const journey = await journeyOf(c)
    const { values, patch, errors } = await settingsFromForm(c)
    const session = c.get('session')!
    if (!patch) return c.html(<SettingsCard session={session} journey={journey} values={values} errors={errors} />, 422)
    const updated = unwrap(await c.get('org').updateJourney(journey.id, patch))
    if (!isHtmx(c)) return c.redirect(`/app/journeys/${journey.id}`, 303)
    return c.html(<SettingsCard session={session} journey={updated} notice="Settings saved." />)
  })
  .post(`/:id{${ID}}/status`, ownerOrAdmin, async (c) => {
    const status = z.enum(JOURNEY_STATUSES).safeParse((await formStrings(c))['status'])
    if (!status.success) throw notFound('status')
    const result = await c.get('org').updateJourney(c.req.param('id'), { status: status.data })
    if (result.ok) return c.redirect(`/app/journeys/${result.value.id}`, 303)
    if (result.error.status === 404) unwrap(result)
    const statusError = result.error.issues?.some((i) => i.path === 'steps') ? 'Add a step before activating the journey.' : result.error.message
    return c.html(<JourneyPage {...await builderProps(c, await journeyOf(c))} statusError={statusError} />, 422)
  })
  .get(`/:id{${ID}}/enrollments`, async (c) => {
    const journey = await journeyOf(c)
    const status = z.enum(ENROLLMENT_STATUSES).optional().catch(undefined).parse(c.req.query('status') || undefined)
    const items = await c.get('org').journeyEnrollments(journey.id, { status, limit: 200 })
    return c.html(<EnrollmentsPage session={c.get('session')!} journey={journey} items={items} status={status} />)
  })
