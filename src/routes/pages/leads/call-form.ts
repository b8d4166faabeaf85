/** The Log a call form on a client's or a lead's page, read into the call it logs. */
import { z } from 'zod'
import { CALL_OUTCOMES } from '../../../../durable-objects/org/sales/calls/outcome'
import { optionalText } from '../forms'

/** Minutes as typed ("12", "2.5", empty) into whole seconds. */
const minutes = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return null
    const n = Number(v)
    if (!Number.isFinite(n) || n < 0 || n > 24 * 60) {
      ctx.addIssue({ code: 'custom', message: 'Enter the minutes the call lasted, up to 1440.' })
      return z.NEVER
    }
    return Math.round(n * 60)
  })

/** Who called, how it went, how long, notes. */
export const callForm = z
  .object({
    direction: z.enum(['inbound', 'outbound'], { message: 'Say who called.' }),
    outcome: z.enum(CALL_OUTCOMES, { message: 'Say how the call went.' }),
    duration_minutes: minutes,
    notes: optionalText(5000),
  })
  .transform(({ duration_minutes, ...call }) => ({ ...call, duration_seconds: duration_minutes }))
