/** Staff pages for journeys: the list, new (blank or from a starter), the builder with htmx step edits, enrollments. */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { Journey } from '../../../durable-objects/org/journeys/definitions'
import type { StepEdit } from '../../../durable-objects/org/journeys/edits'
import { STARTERS } from '../../../durable-objects/org/journeys/starters'
import { wordingOf, type JourneyVars } from '../../../durable-objects/org/journeys/wording'
import { unwrap, type Result } from '../../../durable-objects/org/result'
import {
  ENROLLMENT_STATUSES,
  JOURNEY_STATUSES,
  JOURNEY_TRIGGERS,
  STEP_TYPES,
  TRIGGER_SOURCES,
} from '../../../durable-objects/org/schema'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { requireRole } from '../../http/auth'
import type { FormErrors, FormValues } from '../../../views/fields'
import { EnrollmentsPage } from '../../../views/journeys/enrollments'
import { StepsSection, type StepsProps } from '../../../views/journeys/steps'
import {
  JourneyPage,
  JourneysPage,
  NewJourneyPage,
  SettingsCard,
  type BuilderProps,
} from '../../../views/journeys/list'
import { fragment } from '../../../views/layout'
import { TemplatePreview } from '../../../views/messages'
import { journeyPatch, journeySchema, stepSchema } from '../api/journeys'
import { fieldErrors, formBody, formStrings, ID, intoApi, isHtmx, text, ticked } from './forms'
import { pickerClients } from './lookups'

const UNIT_MINUTES: Record<string, number> = { minutes: 1, hours: 60, days: 1440 }
const ownerOrAdmin = requireRole('owner', 'admin')
const page = (title: string) => ({ title, active: 'journeys' as const })
const typed = z.string().trim().default('')

/** A blank draft: a name and what starts it. */
const newJourneyForm = intoApi(
  z.object({
    name: z.string().trim().min(1, 'Give the journey a name.').max(120),
    trigger_event: z.enum(JOURNEY_TRIGGERS),
  }),
  (v) => ({ ...v, status: 'draft' as const, steps: [] }),
  journeySchema,
)

/** One step as its form types it (a wait in minutes, hours or days; a branch target as a position), read into the API's step. */
const stepForm = intoApi(
  z
    .object({
      type: z.enum(STEP_TYPES),
      amount: typed,
      unit: typed,
      body: typed,
      purpose: typed,
      subject: typed,
      channel: typed,
      condition: typed,
      on_true: typed,
      on_false: typed,
    })
    .refine((f) => f.type !== 'wait' || (/^\d+$/.test(f.amount) && Number(f.amount) >= 1), {
      message: 'Enter a whole number of at least 1.',
      path: ['amount'],
    }),
  (f) => {
    const target = (v: string) => (/^\d+$/.test(v) ? Number(v) : v || 'continue')
    if (f.type === 'wait') return { type: f.type, delay_minutes: Number(f.amount) * (UNIT_MINUTES[f.unit] ?? 1) }
    if (f.type === 'sms') return { type: f.type, body: f.body, purpose: f.purpose || undefined }
    if (f.type === 'email') return { type: f.type, subject: f.subject, body: f.body, purpose: f.purpose || undefined }
    if (f.type === 'review_request')
      return { type: f.type, channel: f.channel, subject: f.subject || undefined, body: f.body || undefined }
    return { type: f.type, condition: f.condition, on_true: target(f.on_true), on_false: target(f.on_false) }
  },
  stepSchema,
)
const STEP_FIELDS = { delay_minutes: 'amount' }

/** Name, trigger and settings as the card types them (two times or none; days as digits), read into the API's journey change. */
const settingsForm = intoApi(
  z
    .object({
      name: text(120, 'Give the journey a name.'),
      trigger_event: z.enum(JOURNEY_TRIGGERS),
      trigger_source: z.enum(TRIGGER_SOURCES),
      stop_on: ticked,
      quiet_start: typed,
      quiet_end: typed,
      reentry_mode: z.enum(['never', 'after_days']).catch('after_days'),
      reentry_days: typed,
    })
    .refine((v) => Boolean(v.quiet_start) === Boolean(v.quiet_end), {
      message: 'Give both times, or leave both empty.',
      path: ['quiet_start'],
    })
    .refine((v) => v.reentry_mode === 'never' || /^\d+$/.test(v.reentry_days), {
      message: 'Enter a whole number of days.',
      path: ['reentry_days'],
    }),
  (v) => ({
    name: v.name,
    trigger_event: v.trigger_event,
    trigger_source: v.trigger_source,
    settings: {
      stop_on: v.stop_on,
      quiet_hours: v.quiet_start ? { start: v.quiet_start, end: v.quiet_end } : null,
      reentry:
        v.reentry_mode === 'never'
          ? { mode: 'never' as const }
          : { mode: 'after_days' as const, days: Number(v.reentry_days) },
    },
  }),
  journeyPatch,
)
const SETTINGS_FIELDS = {
  'settings.quiet_hours.start': 'quiet_start',
  'settings.quiet_hours.end': 'quiet_end',
  'settings.stop_on': 'stop_on',
  'settings.reentry': 'reentry_days',
}

const statusForm = intoApi(z.object({ status: z.enum(JOURNEY_STATUSES) }), (v) => v, journeyPatch)

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
  const vars: JourneyVars = {
    first_name: client?.first_name ?? 'Jordan',
    business_name: c.get('organization').name,
    portal_link: `${origin}/p/…`,
    review_link: `${origin}/r/…`,
  }
  return { clients, sample: { id: client?.org_client_id ?? null, vars } }
}

async function builderProps(c: Context<AppEnv>, journey: Journey, chosen?: string): Promise<BuilderProps> {
  return { journey, ...(await previewContext(c, chosen)) }
}

/** The builder page (its title is the journey's name), with `status`. */
function builderPage(c: Context<AppEnv>, props: BuilderProps, status: 200 | 422 = 200) {
  c.status(status)
  return c.render(<JourneyPage {...props} />, page(props.journey.name))
}

/** The steps section, or for a plain form post the builder page again. */
async function answerSteps(c: Context<AppEnv>, props: StepsProps, status: 200 | 422 = 200) {
  if (!isHtmx(c) && status === 200)
    return c.redirect(`/app/journeys/${props.journey.id}?client=${props.sample.id ?? ''}`, 303)
  return isHtmx(c) ? fragment(c, <StepsSection {...props} />, status) : builderPage(c, props, status)
}

/** The step's form again, open where it was, with errors beside its fields. */
async function stepInvalid(c: Context<AppEnv>, values: FormValues, errors: FormErrors) {
  const position = c.req.param('position')
  const open =
    position === undefined
      ? { adding: z.enum(STEP_TYPES).catch('sms').parse(values['type']) }
      : { position: Number(position) }
  return answerSteps(c, { ...(await builderProps(c, await journeyOf(c), values['client'])), open, values, errors }, 422)
}

/** Applies one step edit and answers with the steps section; a refused edit comes back in its open form. */
async function editSteps(c: Context<AppEnv>, edit: StepEdit, notice: string) {
  const values = await formStrings(c)
  const result: Result<Journey> = await c.get('org').editJourneySteps(c.req.param('id')!, edit)
  if (!result.ok && result.error.status === 404) unwrap(result)
  if (result.ok) return answerSteps(c, { ...(await builderProps(c, result.value, values['client'])), notice })
  const errors = fieldErrors(
    (result.error.issues ?? []).map((i) => ({ path: i.path.split('.'), message: i.message })),
    STEP_FIELDS,
  )
  if (edit.op === 'add' || edit.op === 'replace') return stepInvalid(c, values, errors)
  return answerSteps(c, { ...(await builderProps(c, await journeyOf(c), values['client'])), errors }, 422)
}

export const journeyPages = new Hono<AppEnv>()
  .get('/', async (c) => c.render(<JourneysPage journeys={await c.get('org').listJourneys()} />, page('Journeys')))
  .get('/new', (c) => c.render(<NewJourneyPage starters={STARTERS} />, page('New journey')))
  .post(
    '/',
    ownerOrAdmin,
    formBody(newJourneyForm, (c, values, errors) => {
      c.status(422)
      return c.render(<NewJourneyPage starters={STARTERS} values={values} errors={errors} />, page('New journey'))
    }),
    async (c) => {
      const { journey_id } = unwrap(await c.get('org').createJourney(c.req.valid('form')))
      return c.redirect(`/app/journeys/${journey_id}`, 303)
    },
  )
  .post('/from/:key', ownerOrAdmin, async (c) => {
    const { journey_id } = unwrap(await c.get('org').createJourneyFromStarter(c.req.param('key')))
    return c.redirect(`/app/journeys/${journey_id}`, 303)
  })
  .get(`/:id{${ID}}`, async (c) => {
    const props = await builderProps(c, await journeyOf(c), c.req.query('client'))
    const edit = c.req.query('edit')
    const add = z.enum(STEP_TYPES).safeParse(c.req.query('add'))
    const open =
      edit && /^\d+$/.test(edit) && Number(edit) < props.journey.steps.length
        ? { position: Number(edit) }
        : add.success
          ? { adding: add.data }
          : undefined
    return builderPage(c, { ...props, open })
  })
  .get(`/:id{${ID}}/steps`, async (c) =>
    fragment(c, <StepsSection {...(await builderProps(c, await journeyOf(c), c.req.query('client')))} />),
  )
  .get(`/:id{${ID}}/steps/new`, async (c) => {
    const type = z.enum(STEP_TYPES).catch('sms').parse(c.req.query('type'))
    return fragment(
      c,
      <StepsSection {...(await builderProps(c, await journeyOf(c), c.req.query('client')))} open={{ adding: type }} />,
    )
  })
  .get(`/:id{${ID}}/steps/:position{[0-9]+}/edit`, async (c) => {
    const props = await builderProps(c, await journeyOf(c), c.req.query('client'))
    const position = Number(c.req.param('position'))
    if (position >= props.journey.steps.length) throw notFound('step')
    return fragment(c, <StepsSection {...props} open={{ position }} />)
  })
  .post(`/:id{${ID}}/steps`, ownerOrAdmin, formBody(stepForm, stepInvalid, { fields: STEP_FIELDS }), async (c) =>
    editSteps(c, { op: 'add', step: c.req.valid('form') }, 'Step added.'),
  )
  .post(
    `/:id{${ID}}/steps/:position{[0-9]+}`,
    ownerOrAdmin,
    formBody(stepForm, stepInvalid, { fields: STEP_FIELDS }),
    async (c) => {
      const position = Number(c.req.param('position'))
      return editSteps(c, { op: 'replace', position, step: c.req.valid('form') }, `Step ${position + 1} saved.`)
    },
  )
  .post(`/:id{${ID}}/steps/:position{[0-9]+}/:move{up|down}`, ownerOrAdmin, async (c) => {
    const position = Number(c.req.param('position'))
    const by = c.req.param('move') === 'up' ? -1 : 1
    return editSteps(c, { op: 'move', position, by }, `Step ${position + 1} moved ${c.req.param('move')}.`)
  })
  .post(`/:id{${ID}}/steps/:position{[0-9]+}/delete`, ownerOrAdmin, async (c) => {
    const position = Number(c.req.param('position'))
    return editSteps(c, { op: 'delete', position }, `Step ${position + 1} deleted.`)
  })
  .post(
    `/:id{${ID}}/preview`,
    formBody(stepForm, (c) => c.html(<p class="muted small">Type a message to see it as the client will.</p>)),
    async (c) => {
      const step = c.req.valid('form')
      const { sample } = await previewContext(c, (await formStrings(c))['client'])
      if (step.type === 'wait' || step.type === 'branch')
        return c.html(<p class="muted small">Type a message to see it as the client will.</p>)
      const w = wordingOf(step, sample.vars)
      return c.html(
        <TemplatePreview
          channel={w.channel}
          subject={w.subject ?? ''}
          body={w.body}
          sample={`${sample.vars.first_name}'s details`}
        />,
      )
    },
  )
  .post(
    `/:id{${ID}}/settings`,
    ownerOrAdmin,
    formBody(
      settingsForm,
      async (c, values, errors) =>
        fragment(c, <SettingsCard journey={await journeyOf(c)} values={values} errors={errors} />, 422),
      { fields: SETTINGS_FIELDS },
    ),
    async (c) => {
      const journey = await journeyOf(c)
      const updated = unwrap(await c.get('org').updateJourney(journey.id, c.req.valid('form')))
      if (!isHtmx(c)) return c.redirect(`/app/journeys/${journey.id}`, 303)
      return fragment(c, <SettingsCard journey={updated} notice="Settings saved." />)
    },
  )
  .post(
    `/:id{${ID}}/status`,
    ownerOrAdmin,
    formBody(statusForm, () => {
      throw notFound('status')
    }),
    async (c) => {
      const result = await c.get('org').updateJourney(c.req.param('id'), c.req.valid('form'))
      if (result.ok) return c.redirect(`/app/journeys/${result.value.id}`, 303)
      if (result.error.status === 404) unwrap(result)
      const statusError = result.error.issues?.some((i) => i.path === 'steps')
        ? 'Add a step before activating the journey.'
        : result.error.message
      return builderPage(c, { ...(await builderProps(c, await journeyOf(c))), statusError }, 422)
    },
  )
  .get(`/:id{${ID}}/enrollments`, async (c) => {
    const journey = await journeyOf(c)
    const status = z
      .enum(ENROLLMENT_STATUSES)
      .optional()
      .catch(undefined)
      .parse(c.req.query('status') || undefined)
    const items = await c.get('org').journeyEnrollments(journey.id, { status, limit: 200 })
    return c.render(
      <EnrollmentsPage journey={journey} items={items} status={status} />,
      page(`${journey.name} enrollments`),
    )
  })
