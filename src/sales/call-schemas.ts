/** A call logged by hand through the API: the activity's fields plus how long it lasted, how it went and a link. */
import { z } from 'zod'
import type { LoggedCall } from '../../durable-objects/org/sales/calls/calls'
import { CALL_OUTCOMES } from '../../durable-objects/org/sales/calls/outcome'
import { activitySchema } from './lead-schemas'

/** `POST /api/v1/clients/{id}/activities`: any activity; a `call` may also say `duration_seconds`, `outcome` and `url`. */
export const clientActivitySchema = activitySchema.extend({
  duration_seconds: z
    .number()
    .int()
    .min(0)
    .max(24 * 3600)
    .nullable()
    .optional(),
  outcome: z.enum(CALL_OUTCOMES).optional(),
  url: z
    .string()
    .trim()
    .max(500)
    .regex(/^https:\/\/\S+$/, 'must be an https link')
    .nullable()
    .optional(),
})

/** The call an API activity of type `call` logs: its summary is the call's notes. */
export function loggedCallOf(body: z.output<typeof clientActivitySchema>, authorId: string | null): LoggedCall {
  return {
    direction: body.direction ?? null,
    notes: body.summary,
    occurred_at: body.occurred_at,
    duration_seconds: body.duration_seconds ?? null,
    outcome: body.outcome,
    url: body.url ?? null,
    author_id: authorId,
  }
}
