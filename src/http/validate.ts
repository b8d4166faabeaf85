/** zod validation as Hono middleware, failing with API.md's `invalid_input` envelope. */
import { zValidator } from '@hono/zod-validator'
import type { ZodType } from 'zod'
import { AppError, invalidInput, zodIssues } from '../errors'

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

/** Validates a JSON body; a wrong content type, malformed JSON or a schema error is a 400. */
export const jsonBody = <T extends ZodType>(schema: T) =>
  zValidator('json', schema, (result, c) => {
    if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) {
      throw new AppError(400, 'invalid_input', 'Send a JSON body with Content-Type: application/json.')
    }
    if (!result.success) throw invalidInput(zodIssues(result.error))
  })

/** Validates the query string. */
export const queryParams = <T extends ZodType>(schema: T) =>
  zValidator('query', schema, (result) => {
    if (!result.success) throw invalidInput(zodIssues(result.error))
  })
