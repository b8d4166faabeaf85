/** /api/v1 journeys, events and enrollments. */
import { Hono } from 'hono'
import { z } from 'zod'
import { API_EVENT_TYPES } from '../../../durable-objects/org/journeys/raise'
import { unwrap } from '../../../durable-objects/org/result'
import {
  BRANCH_CONDITIONS,
  ENROLLMENT_STATUSES,
  JOURNEY_STATUSES,
  JOURNEY_TRIGGERS,
  MESSAGE_PURPOSES,
  STOP_CONDITIONS,
  TRIGGER_SOURCES,
} from '../../../durable-objects/org/schema'
import type { AppEnv, Env } from '../../env'
import { notFound } from '../../errors'
import { clockTime, id, instant } from '../../http/schemas'
import { jsonBody, queryParams } from '../../http/validate'
import type { Organization } from '../../organizations'
import { requirePhone, upsertPersonSchema } from '../../people/service'
import { API_AUTHOR, linkClients, resolveCards } from '../../clients/intake'
import { journeysOf } from '../../journeys/remote'

const purpose = z.enum(MESSAGE_PURPOSES).optional()
const target = z.union([z.enum(['continue', 'end']), z.number().int().min(0)])

/** One step of a journey, as the API and the builder write it. */
export const stepSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('wait'),
    delay_minutes: z
      .number()
      .int()
      .min(1, 'must be at least 1 minute')
      .max(365 * 1440),
  }),
  z.object({ type: z.literal('sms'), body: z.string().trim().min(1).max(1600), purpose }),
  z.object({
    type: z.literal('email'),
    subject: z.string().trim().min(1).max(300),
    body: z.string().trim().min(1).max(10_000),
    purpose,
  }),
  z.object({
    type: z.literal('review_request'),
    channel: z.enum(['sms', 'email']),
    subject: z.string().trim().max(300).optional(),
    body: z.string().trim().max(1600).optional(),
  }),
  z.object({
    type: z.literal('branch'),
    condition: z.enum(BRANCH_CONDITIONS),
    on_true: target.optional(),
    on_false: target.optional(),
  }),
])

/** Journey settings; `quiet_hours: null` goes back to the organization's. */
export const settingsSchema = z.object({
  quiet_hours: z.object({ start: clockTime, end: clockTime }).nullable().optional(),
  stop_on: z
    .array(z.enum(STOP_CONDITIONS))
    .max(STOP_CONDITIONS.length)
    .transform((v) => [...new Set(v)])
    .optional(),
  reentry: z
    .discriminatedUnion('mode', [
      z.object({ mode: z.literal('never') }),
      z.object({ mode: z.literal('after_days'), days: z.number().int().min(0).max(3650) }),
    ])
    .optional(),
})

const journeyFields = {
  name: z.string().trim().min(1).max(120),
  trigger_event: z.enum(JOURNEY_TRIGGERS),
  trigger_source: z.enum(TRIGGER_SOURCES).optional(),
  status: z.enum(JOURNEY_STATUSES).optional(),
  settings: settingsSchema.optional(),
  steps: z.array(stepSchema).max(50),
}

export const journeySchema = z.object(journeyFields)
export const journeyPatch = z
  .object(journeyFields)
  .partial()
  .refine((p) => Object.values(p).some((v) => v !== undefined), {
    message: 'send at least one field to change',
    path: ['name'],
  })

const eventSchema = z
  .object({
    type: z.enum(API_EVENT_TYPES),
    org_client_id: id.optional(),
    person: upsertPersonSchema.optional(),
    source: z.enum(TRIGGER_SOURCES).exclude(['any']).default('manual'),
    external_id: z.string().trim().min(1).max(200).optional(),
    occurred_at: instant.optional(),
  })
  .refine((e) => (e.org_client_id === undefined) !== (e.person === undefined), {
    message: 'send org_client_id or person, one of them',
    path: ['org_client_id'],
  })

const enrollmentsQuery = z.object({
  journey_id: id.optional(),
  status: z.enum(ENROLLMENT_STATUSES).optional(),
  org_client_id: id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

export const journeysApi = new Hono<AppEnv>()
  .post('/', jsonBody(journeySchema), async (c) =>
    c.json(unwrap(await journeysOf(c.get('org')).createJourney(c.req.valid('json'))), 201),
  )
  .get('/', async (c) => c.json({ items: await journeysOf(c.get('org')).listJourneys() }))
  .get('/:id', async (c) => {
    const journey = await journeysOf(c.get('org')).getJourney(c.req.param('id'))
    if (!journey) throw notFound('journey')
    return c.json(journey)
  })
  .patch('/:id', jsonBody(journeyPatch), async (c) =>
    c.json(unwrap(await journeysOf(c.get('org')).updateJourney(c.req.param('id'), c.req.valid('json')))),
  )

export const eventsApi = new Hono<AppEnv>().post('/', jsonBody(eventSchema), async (c) => {
  const e = c.req.valid('json')
  const organization = c.get('organization')
  const person = e.person ? await personCard(c.env, organization, e.person) : undefined
  const raised = unwrap(
    await journeysOf(c.get('org')).raiseEvent({
      type: e.type,
      orgClientId: e.org_client_id,
      person,
      source: e.source,
      externalId: e.external_id,
      at: e.occurred_at ? new Date(e.occurred_at).toISOString() : new Date().toISOString(),
    }),
  )
  // Linked after the object has the client, as when a client is created.
  if (person) await linkClients(c.env, organization.id, [person.person_id])
  return c.json(raised, 202)
})

export const enrollmentsApi = new Hono<AppEnv>().get('/', queryParams(enrollmentsQuery), async (c) =>
  c.json({ items: await journeysOf(c.get('org')).listEnrollments(c.req.valid('query')) }),
)

/** Links the event's person in the registry; the card gets what the event said (intake.ts). */
async function personCard(env: Env, organization: Organization, input: z.output<typeof upsertPersonSchema>) {
  const phone =
    input.phone === undefined
      ? undefined
      : requirePhone(input.phone, input.default_country ?? organization.country, 'person.phone')
  const [card] = await resolveCards(env, organization.id, [{ ...input, phone }], API_AUTHOR)
  return card!
}
