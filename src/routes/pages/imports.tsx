/**
 * /app/clients/import: the upload form, the mapping step (each column's field, changeable, and the
 * first rows as they will be imported; nothing written), the progress bar it polls, and the summary.
 */
import { Hono, type Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { z } from 'zod'
import type { AppEnv } from '../../env'
import { AppError, notFound } from '../../errors'
import { type ColumnChoice, IMPORT_FIELDS, type ImportField } from '../../imports/columns'
import { decodeCsv } from '../../imports/csv'
import { previewImport } from '../../imports/preview'
import { MAX_IMPORT_BYTES, startImport } from '../../imports/service'
import { ImportPage, ImportProgress, ImportStatusPage, UploadForm } from '../../../views/imports'
import { MappingForm } from '../../../views/imports/mapping'
import { fragment } from '../../../views/layout'
import { tooLarge } from '../api/imports'
import { formBody } from './forms'

const PAGE = { title: 'Import clients', active: 'clients' } as const
const CHOOSE = 'Choose a CSV file to import.'

/**
 * The upload (`file`, `step=map` from the form: the mapping step comes next; a bare file is imported
 * at once as its headers say), or the mapping step's form (`csv`, the file's text, and a
 * `column_<n>` choice per column: `step=import` imports, anything else shows the preview again).
 */
const uploadForm = z
  .looseObject({
    step: z.enum(['map', 'import']).optional().catch(undefined),
    file: z.instanceof(File).optional(),
    csv: z.string().optional(),
  })
  .refine((v) => (v.file !== undefined && v.file.size > 0) || (v.csv ?? '') !== '', {
    message: CHOOSE,
    path: ['file'],
  })

/** The mapping staff chose, a field or null per column, when the form carries one. */
function choicesOf(form: Record<string, unknown>): ColumnChoice[] | undefined {
  const picked = Object.entries(form).flatMap(([name, value]) => {
    const index = /^column_(\d{1,4})$/.exec(name)?.[1]
    return index === undefined || typeof value !== 'string' ? [] : [[Number(index), value] as const]
  })
  if (picked.length === 0) return undefined
  const choices: ColumnChoice[] = []
  for (const [index, value] of picked)
    choices[index] = (IMPORT_FIELDS as readonly string[]).includes(value) ? (value as ImportField) : null
  return Array.from(choices, (c) => c ?? null)
}

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
      const form = c.req.valid('form')
      const file = form.file && form.file.size > 0 ? form.file : undefined
      if (file && file.size > MAX_IMPORT_BYTES) return uploadFailed(c, tooLarge().message, 413)
      const text = file ? decodeCsv(await file.arrayBuffer()) : (form.csv ?? '')
      const choices = file ? undefined : choicesOf(form)
      // The mapping step's text imports only on its Import button; a bare file upload imports at once.
      const importing = file ? form.step !== 'map' : form.step === 'import'
      let importId: string
      try {
        if (!importing) return mappingStep(c, text, choices)
        importId = (await startImport(c.env, c.get('organization'), text, choices)).import_id
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 400) throw error
        // A mapping without a name column goes back to the mapping step; a file that cannot be read, to the upload.
        if (importing && choices && error.issues?.[0]?.path === 'header')
          return mappingStep(c, text, choices, uploadMessage(error))
        return uploadFailed(c, uploadMessage(error), 422)
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

/** The mapping step: each column's field and the first rows as they will be imported; nothing is written. */
function mappingStep(c: Context<AppEnv>, text: string, choices: ColumnChoice[] | undefined, error?: string) {
  const preview = previewImport(text, c.get('organization').country, choices)
  const form = <MappingForm preview={preview} text={text} error={error} />
  if (error || preview.problem) c.status(422)
  return c.req.header('hx-request') ? fragment(c, form) : c.render(<ImportPage area={form} />, PAGE)
}

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
