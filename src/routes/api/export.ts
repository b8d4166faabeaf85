/** /api/v1/export.json, /api/v1/export.zip and /api/v1/import.json: a business takes its data with it, or brings it in. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'
import { invalidInput } from '../../errors'
import { requireKeyOfManager } from '../../export/access'
import { importExport } from '../../export/import'
import { exportResponse } from '../../export/service'

export const exportApi = new Hono<AppEnv>()
  .get('/export.json', async (c) => {
    await requireKeyOfManager(c)
    return exportResponse(c.env, c.get('organization').id, c.get('org'), 'json')
  })
  .get('/export.zip', async (c) => {
    await requireKeyOfManager(c)
    return exportResponse(c.env, c.get('organization').id, c.get('org'), 'zip')
  })
  .post('/import.json', async (c) => {
    await requireKeyOfManager(c)
    const body = await c.req.json().catch(() => {
      throw invalidInput([{ path: '', message: 'must be the JSON of an export' }], 'The export file is not valid.')
    })
    return c.json(await importExport(c.env, c.get('organization'), body), 201)
  })
