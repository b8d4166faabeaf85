/** Staff journey pages: the list, new (blank or from a starter), the builder page, its settings and status, enrollments. */
import { Hono } from 'hono'
import { z } from 'zod'
import { STARTERS } from '../../../durable-objects/org/journeys/starters'
import { unwrap } from '../../../durable-objects/org/result'
import {
  ENROLLMENT_STATUSES,
  JOURNEY_STATUSES,
  JOURNEY_TRIGGERS,
  STEP_TYPES,
  TRIGGER_SOURCES,
} from '../../../durable-objects/org/schema'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { ownerOrAdmin } from '../../http/auth'
import { EnrollmentsPage } from '../../../views/journeys/enrollments'
import { JourneysPage, NewJourneyPage } from '../../../views/journeys/list'
import { SettingsCard } from '../../../views/journeys/settings'
import { fragment } from '../../../views/layout'
import { journeyPatch, journeySchema } from '../api/journeys'
import { formBody, ID, intoApi, isHtmx, text, ticked } from './forms'
import { builderPage, builderProps, journeyOf, page } from './journey-builder'
import { journeyStepPages } from './journey-steps'
import { journeysOf } from '../../journeys/remote'

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

export const journeyPages = new Hono<AppEnv>()
  .get('/', async (c) =>
    c.render(<JourneysPage journeys={await journeysOf(c.get('org')).listJourneys()} />, page('Journeys')),
  )
  .get('/new', (c) => c.render(<NewJourneyPage starters={STARTERS} />, page('New journey')))
  .post(
    '/',
    ownerOrAdmin,
    formBody(newJourneyForm, (c, values, errors) => {
      c.status(422)
      return c.render(<NewJourneyPage starters={STARTERS} values={values} errors={errors} />, page('New journey'))
    }),
    async (c) => {
      const { journey_id } = unwrap(await journeysOf(c.get('org')).createJourney(c.req.valid('form')))
      return c.redirect(`/app/journeys/${journey_id}`, 303)
    },
  )
  .post('/from/:key', ownerOrAdmin, async (c) => {
    const { journey_id } = unwrap(await journeysOf(c.get('org')).createJourneyFromStarter(c.req.param('key')))
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
  .route('/', journeyStepPages)
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
      const updated = unwrap(await journeysOf(c.get('org')).updateJourney(journey.id, c.req.valid('form')))
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
      const result = await journeysOf(c.get('org')).updateJourney(c.req.param('id'), c.req.valid('form'))
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
    const items = await journeysOf(c.get('org')).journeyEnrollments(journey.id, { status, limit: 200 })
    return c.render(
      <EnrollmentsPage journey={journey} items={items} status={status} />,
      page(`${journey.name} enrollments`),
    )
  })
