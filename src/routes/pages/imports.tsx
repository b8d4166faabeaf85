/** /app/clients/import: the upload form, the progress bar it polls, and the summary. */
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AppEnv } from '../../env'
import { AppError, notFound } from '../../errors'
import { requireCsrfToken, requireSession } from '../../http/auth'
import { decodeCsv } from '../../imports/csv'
import { MAX_IMPORT_BYTES, startImport } from '../../imports/service'
import { ImportPage, ImportProgress, ImportStatusPage, UploadForm } from '../../../views/import'
import { tooLarge } from '../imports'

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
