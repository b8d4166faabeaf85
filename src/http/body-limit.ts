/** How big a request body may be, decided once for the whole app, with or without Content-Length. */
import { bodyLimit } from 'hono/body-limit'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env'
import { AppError } from '../errors'
import { MAX_IMPORT_BYTES } from '../imports/service'

/** JSON bodies and forms: 1 MB. */
export const MAX_BODY_BYTES = 1024 * 1024

/**
 * CSV imports check their own 10 MB (src/routes/imports.ts, with its own page for a file too big) and
 * the CRMs' webhooks their own 256 KB; here they only get an outer bound, so no body is ever unbounded.
 * A business's export brought back (`POST /api/v1/import.json`) takes the same outer bound: about
 * 20,000 clients, parsed in well under the isolate's memory.
 */
const OWN_LIMIT = /^\/(?:api\/v1|app)\/clients\/import\/?$|^\/webhooks\/|^\/api\/v1\/import\.json$/
const OUTER_BYTES = MAX_IMPORT_BYTES + MAX_BODY_BYTES

const tooLarge = (bytes: number) => () => {
  throw new AppError(413, 'payload_too_large', `The request body is larger than ${Math.floor(bytes / 1024 / 1024)} MB.`)
}

const limitJson = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge(MAX_BODY_BYTES) })
const limitOuter = bodyLimit({ maxSize: OUTER_BYTES, onError: tooLarge(OUTER_BYTES) })

/** 413 `payload_too_large` past the path's limit; a chunked body is counted as it is read. */
export const limitBodies = createMiddleware<AppEnv>(async (c, next) =>
  OWN_LIMIT.test(c.req.path) ? limitOuter(c, next) : limitJson(c, next),
)
