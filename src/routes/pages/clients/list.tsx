/** The clients list with live search and filters, the client picker's options, and the new-client form. */
import { zValidator } from '@hono/zod-validator'
import { type Context, Hono } from 'hono'
import {
  ClientRows,
  ClientsPage,
  type ClientFilters,
  NewClientForm,
  NewClientPage,
} from '../../../../views/clients/list'
import { ClientOptions } from '../../../../views/clients/picker'
import type { FormErrors, FormValues } from '../../../../views/fields'
import { fragment } from '../../../../views/layout'
import { authorOf } from '../../../clients/intake'
import { createClient } from '../../../clients/service'
import type { AppEnv } from '../../../env'
import { AppError } from '../../../errors'
import { fieldErrors, formBody, formStrings, isHtmx } from '../forms'
import { pickerClients } from '../lookups'
import { listQuery, newClientForm, newClientRules } from './forms'
import { page } from './render'

/** The new-client form again, filled in, with errors beside the fields: a fragment for htmx, else the page. */
function newClientInvalid(c: Context<AppEnv>, values: FormValues, errors: FormErrors) {
  c.status(422)
  return isHtmx(c)
    ? fragment(c, <NewClientForm values={values} errors={errors} />)
    : c.render(<NewClientPage values={values} errors={errors} />, page('New client'))
}

/** The list's rows for htmx (search, filters, "show more"), the whole page otherwise; caches must keep them apart. */
async function clientList(c: Context<AppEnv>, filters: ClientFilters & { cursor?: string }, rowsOnly: boolean) {
  const list = await c.get('org').listClients({ ...filters, limit: 50 })
  c.header('Vary', 'HX-Request')
  const { cursor: _, ...shown } = filters
  if (rowsOnly) return c.html(<ClientRows items={list.items} nextCursor={list.next_cursor} filters={shown} />)
  return c.render(<ClientsPage filters={shown} items={list.items} nextCursor={list.next_cursor} />, page('Clients'))
}

/** The list, its rows, the picker's options, and making a client. */
export const listPages = new Hono<AppEnv>()
  .get('/', zValidator('query', listQuery), async (c) => clientList(c, c.req.valid('query'), isHtmx(c)))
  .get('/rows', zValidator('query', listQuery), async (c) => clientList(c, c.req.valid('query'), true))
  .get('/options', async (c) => {
    const q = (c.req.query('client_q') ?? '').trim().slice(0, 100)
    const selected = c.req.query('org_client_id') || undefined
    const clients = q ? (await c.get('org').listClients({ q, limit: 50 })).items : await pickerClients(c, selected)
    c.header('Vary', 'HX-Request')
    return c.html(<ClientOptions clients={clients} selected={selected} query={q || undefined} />)
  })
  .get('/new', (c) => c.render(<NewClientPage values={{ status: 'active' }} errors={{}} />, page('New client')))
  .post('/', formBody(newClientForm, newClientInvalid, { rules: newClientRules }), async (c) => {
    let created: Awaited<ReturnType<typeof createClient>>
    try {
      created = await createClient(c.env, c.get('organization'), c.req.valid('form'), authorOf(c.get('session')))
    } catch (error) {
      if (error instanceof AppError && error.issues)
        return newClientInvalid(
          c,
          await formStrings(c),
          fieldErrors(error.issues.map((i) => ({ path: i.path.split('.'), message: i.message }))),
        )
      throw error
    }
    const url = `/app/clients/${created.org_client_id}${created.created ? '' : '?existing=1'}`
    if (isHtmx(c)) {
      c.header('HX-Redirect', url)
      return c.body(null, 201)
    }
    return c.redirect(url, 303)
  })
