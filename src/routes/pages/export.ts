/** /app/settings/export.json and /app/settings/export.zip: the settings page's downloads, for owners and admins. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'
import { exportResponse } from '../../export/service'
import { requireRole } from '../../http/auth'

const manage = requireRole('owner', 'admin')

export const exportPages = new Hono<AppEnv>()
  .get('/export.json', manage, (c) => exportResponse(c.env, c.get('organization').id, c.get('org'), 'json'))
  .get('/export.zip', manage, (c) => exportResponse(c.env, c.get('organization').id, c.get('org'), 'zip'))
