/** The journey builder's step routes: open a step's form, add, save, move and delete steps, preview a message. */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { Journey } from '../../../durable-objects/org/journeys/definitions'
import type { StepEdit } from '../../../durable-objects/org/journeys/edits'
import { wordingOf } from '../../../durable-objects/org/journeys/wording'
import { unwrap, type Result } from '../../../durable-objects/org/result'
import { STEP_TYPES } from '../../../durable-objects/org/schema'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { ownerOrAdmin } from '../../http/auth'
import type { FormErrors, FormValues } from '../../../views/fields'
import { StepsSection, type StepsProps } from '../../../views/journeys/steps'
import { fragment } from '../../../views/layout'
import { TemplatePreview } from '../../../views/messages'
import { stepSchema } from '../api/journeys'
import { builderPage, builderProps, journeyOf, previewContext } from './journey-builder'
import { fieldErrors, formBody, formStrings, ID, intoApi, isHtmx } from './forms'
import { journeysOf } from '../../journeys/remote'

const UNIT_MINUTES: Record<string, number> = { minutes: 1, hours: 60, days: 1440 }
const typed = z.string().trim().default('')

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
  const result: Result<Journey> = await journeysOf(c.get('org')).editJourneySteps(c.req.param('id')!, edit)
  if (!result.ok && result.error.status === 404) unwrap(result)
  if (result.ok) return answerSteps(c, { ...(await builderProps(c, result.value, values['client'])), notice })
  const errors = fieldErrors(
    (result.error.issues ?? []).map((i) => ({ path: i.path.split('.'), message: i.message })),
    STEP_FIELDS,
  )
  if (edit.op === 'add' || edit.op === 'replace') return stepInvalid(c, values, errors)
  return answerSteps(c, { ...(await builderProps(c, await journeyOf(c), values['client'])), errors }, 422)
}

export const journeyStepPages = new Hono<AppEnv>()
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
