/** CSV imports of clients, as JSON: /api/v1/clients/import (or its preview) and /api/v1/imports (the staff page is src/routes/pages/imports.tsx). */
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../../env'
import { AppError, notFound } from '../../errors'
import { decodeCsv } from '../../imports/csv'
import { previewImport } from '../../imports/preview'
import { MAX_IMPORT_BYTES, noNameColumn, startImport } from '../../imports/service'

const CSV_TYPE = /^(?:text|application)\/csv\s*(?:;|$)/i
export const tooLarge = () =>
  new AppError(
    413,
    'payload_too_large',
    `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB. Split it and import each part.`,
  )

/** Only a `text/csv` (or `application/csv`) body is read; anything else is a 400 before a byte of it is. */
const csvBody = createMiddleware<AppEnv>(async (c, next) => {
  if (!CSV_TYPE.test(c.req.header('content-type') ?? '')) {
    throw new AppError(400, 'invalid_input', 'Send the CSV file as the body with Content-Type: text/csv.')
  }
  await next()
})

/**
 * POST /api/v1/clients/import: 202 with the import's id; the rows are imported in the background.
 * With `?preview=true`: 200 with each column's field and the first rows as they would be imported; nothing is written.
 */
export const clientImportApi = new Hono<AppEnv>().post(
  '/',
  csvBody,
  bodyLimit({
    maxSize: MAX_IMPORT_BYTES,
    onError: () => {
      throw tooLarge()
    },
  }),
  async (c) => {
    // Decoded here rather than with c.req.text(): files saved by Windows spreadsheets are not always UTF-8.
    const text = decodeCsv(await c.req.arrayBuffer())
    if (c.req.query('preview') === 'true') {
      const preview = previewImport(text, c.get('organization').country)
      if (preview.problem) throw noNameColumn(false)
      return c.json(preview)
    }
    const started = await startImport(c.env, c.get('organization'), text)
    c.header('Location', `/api/v1/imports/${started.import_id}`)
    return c.json({ ...started, status: 'queued' as const }, 202)
  },
)

/** GET /api/v1/imports/{id}: the import's progress and row errors (404 for another organization's id). */
export const importsApi = new Hono<AppEnv>().get('/:id', async (c) => {
  const state = await c.get('org').getImport(c.req.param('id'))
  if (!state) throw notFound('import')
  return c.json(state)
})
