/** zod validation as Hono middleware, failing with API.md's `invalid_input` envelope. */
import { zValidator } from '@hono/zod-validator'
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { z, ZodType } from 'zod'
import type { AppEnv } from '../env'
import { AppError, invalidInput, zodIssues } from '../errors'

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

/** The body as JSON; empty (or, when `optional`, sent with no content type at all) reads as `{}`. */
async function readJson(c: Context<AppEnv>, optional: boolean): Promise<unknown> {
  const type = c.req.header('content-type')
  if (optional && !type) return {}
  if (!JSON_TYPE.test(type ?? ''))
    throw new AppError(400, 'invalid_input', 'Send a JSON body with Content-Type: application/json.')
  const text = await c.req.text()
  if (text.trim() === '') return {}
  try {
    return JSON.parse(text)
  } catch {
    throw new AppError(400, 'invalid_input', 'Malformed JSON in request body')
  }
}

const validJson = <T extends ZodType>(schema: T, optional: boolean) =>
  createMiddleware<AppEnv, string, { in: { json: z.input<T> }; out: { json: z.output<T> } }>(async (c, next) => {
    const result = await schema.safeParseAsync(await readJson(c, optional))
    if (!result.success) throw invalidInput(zodIssues(result.error))
    c.req.addValidatedData('json', result.data as object)
    await next()
  })

/**
 * Validates a JSON body; a wrong content type, malformed JSON or a schema error is a 400. An empty
 * body with a JSON content type reads as `{}` (so "no options" is fine; required fields still fail).
 */
export const jsonBody = <T extends ZodType>(schema: T) => validJson(schema, false)

/** A JSON body that may also be left out entirely (no body, no content type: `{}`). */
export const optionalJsonBody = <T extends ZodType>(schema: T) => validJson(schema, true)

/** Validates the query string. */
export const queryParams = <T extends ZodType>(schema: T) =>
  zValidator('query', schema, (result) => {
    if (!result.success) throw invalidInput(zodIssues(result.error))
  })
