/** /app/clients/import: the upload form, the progress bar it polls, and the summary. */
import { Hono, type Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { z } from 'zod'
import type { AppEnv } from '../../env'
import { AppError, notFound } from '../../errors'
import { decodeCsv } from '../../imports/csv'
import { MAX_IMPORT_BYTES, startImport } from '../../imports/service'
import { ImportPage, ImportProgress, ImportStatusPage, UploadForm } from '../../../views/imports'
import { fragment } from '../../../views/layout'
import { tooLarge } from '../api/imports'
import { formBody } from './forms'

const PAGE = { title: 'Import clients', active: 'clients' } as const
const CHOOSE = 'Choose a CSV file to import.'

const uploadForm = z.object({ file: z.instanceof(File, { message: CHOOSE }).refine((f) => f.size > 0, CHOOSE) })

/**
 * A file over the limit comes back to the form before the handler reads it, by its Content-Length
 * (multipart adds a few headers around the file); a chunked upload is bounded by limitBodies and
 * by the file's size below.
 */
const uploadLimit = createMiddleware<AppEnv>(async (c, next) => {
  if (Number(c.req.header('content-length') ?? 0) > MAX_IMPORT_BYTES + 64 * 1024)
    return uploadFailed(c, tooLarge().message, 413)
  await next()
})

export const importPages = new Hono<AppEnv>()
  .get('/', (c) => c.render(<ImportPage />, PAGE))
  .post(
    '/',
    uploadLimit,
    formBody(uploadForm, (c, _, errors) => uploadFailed(c, errors['file'] ?? CHOOSE, 422)),
    async (c) => {
      const { file } = c.req.valid('form')
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
      return c.html(<ImportProgress state={state} />, 202)
    },
  )
  .get('/:id', async (c) => {
    const state = await c.get('org').getImport(c.req.param('id'))
    if (!state) throw notFound('import')
    return c.render(<ImportStatusPage state={state} />, PAGE)
  })
  .get('/:id/progress', async (c) => {
    const state = await c.get('org').getImport(c.req.param('id'))
    if (!state) throw notFound('import')
    return c.html(<ImportProgress state={state} />)
  })

/** The form again with the problem beside the file field: a fragment for htmx, else the whole page. */
function uploadFailed(c: Context<AppEnv>, error: string, status: 413 | 422) {
  c.status(status)
  return c.req.header('hx-request')
    ? fragment(c, <UploadForm error={error} />)
    : c.render(<ImportPage error={error} />, PAGE)
}

/** A 400's message with its first issue, e.g. "The file is not valid CSV. Quote Not Closed: …". */
function uploadMessage(error: AppError): string {
  const issue = error.issues?.[0]
  return issue && error.message.startsWith('The file is not valid CSV')
    ? `${error.message} ${issue.message}`
    : error.message
}
