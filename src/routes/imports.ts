/** CSV imports of clients: the JSON API (/api/v1/clients/import, /api/v1/imports) and the staff page (/app/clients/import). */
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env'
import { AppError, notFound } from '../errors'
import { requireCsrfToken, requireSession } from '../http/auth'
import { decodeCsv } from '../imports/csv'
import { MAX_IMPORT_BYTES, startImport } from '../imports/service'
import { ImportPage, ImportProgress, ImportStatusPage, UploadForm } from '../../views/import'

const CSV_TYPE = /^(?:text|application)\/csv\s*(?:;|$)/i
const tooLarge = () => new AppError(413, 'payload_too_large', `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB. Split it and import each part.`)

/** Only a `text/csv` (or `application/csv`) body is read; anything else is a 400 before a byte of it is. */
const csvBody = createMiddleware<AppEnv>(async (c, next) => {
  if (!CSV_TYPE.test(c.req.header('content-type') ?? '')) {
    throw new AppError(400, 'invalid_input', 'Send the CSV file as the body with Content-Type: text/csv.')
  }
  await next()
})

/** POST /api/v1/clients/import: 202 with the import's id; the rows are imported in the background. */
export const clientImportApi = new Hono<AppEnv>()
  .post('/', csvBody, bodyLimit({ maxSize: MAX_IMPORT_BYTES, onError: () => { throw tooLarge() } }), async (c) => {
    // Decoded here rather than with c.req.text(): files saved by Windows spreadsheets are not always UTF-8.
    const text = decodeCsv(await c.req.arrayBuffer())
    const started = await startImport(c.env, c.get('organization'), text)
    c.header('Location', `/api/v1/imports/${started.import_id}`)
    return c.json({ ...started, status: 'queued' as const }, 202)
  })

/** GET /api/v1/imports/{id}: the import's progress and row errors (404 for another organization's id). */
export const importsApi = new Hono<AppEnv>()
  .get('/:id', async (c) => {
    const state = await c.get('org').getImport(c.req.param('id'))
    if (!state) throw notFound('import')
    return c.json(state)
  })

/** The upload field's name on the page's form. */
const FILE_FIELD = 'file'

/** Staff pages: the upload form, the progress bar it polls, and the summary. */
export const importPages = new Hono<AppEnv>()
  .use('*', requireSession)
  .get('/', (c) => c.html(ImportPage({ session: c.get('session')! })))
  .post('/',
    // Multipart adds a few headers and the CSRF field around the file.
    bodyLimit({ maxSize: MAX_IMPORT_BYTES + 64 * 1024, onError: (c) => uploadFailed(c, tooLarge().message, 413) }),
    requireCsrfToken,
    async (c) => {
      const file = (await c.req.parseBody())[FILE_FIELD]
      if (!(file instanceof File) || file.size === 0) return uploadFailed(c, 'Choose a CSV file to import.', 422)
      if (file.size > MAX_IMPORT_BYTES) return uploadFailed(c, tooLarge().message, 413)
      let importId: string
      try {
        importId = (await startImport(c.env, c.get('organization'), decodeCsv(await file.arrayBuffer()))).import_id
      } catch (error) {
        if (error instanceof AppError && error.status === 400) return uploadFailed(c, uploadMessage(error), 422)
        throw error
      }
      if (!c.req.header('hx-request')) return c.redirect(`/app/clients/import/${importId}`, 303)
      const state = await c.get('org').getImport(importId)
      if (!state) throw notFound('import')
      return c.html(ImportProgress({ state }), 202)
    })
  .get('/:id', async (c) => {
    const state = await c.get('org').getImport(c.req.param('id'))
    if (!state) throw notFound('import')
    return c.html(ImportStatusPage({ session: c.get('session')!, state }))
  })
  .get('/:id/progress', async (c) => {
    const state = await c.get('org').getImport(c.req.param('id'))
    if (!state) throw notFound('import')
    return c.html(ImportProgress({ state }))
  })

/** The form again with the problem beside the file field: a fragment for htmx, else the whole page. */
function uploadFailed(c: Context<AppEnv>, error: string, status: 413 | 422) {
  const session = c.get('session')!
  if (c.req.header('hx-request')) return c.html(UploadForm({ session, error }), status)
  return c.html(ImportPage({ session, error }), status)
}

/** A 400's message with its first issue, e.g. "The file is not valid CSV. Quote Not Closed: …". */
function uploadMessage(error: AppError): string {
  const issue = error.issues?.[0]
  return issue && error.message.startsWith('The file is not valid CSV') ? `${error.message} ${issue.message}` : error.message
}
