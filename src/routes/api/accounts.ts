/** /api/v1/accounts: commercial accounts with contacts, sites, and their jobs and invoices. */
import { Hono } from 'hono'
import { unwrap } from '../../../durable-objects/org/result'
import { authorOf } from '../../clients/intake'
import type { AppEnv } from '../../env'
import { jsonBody, queryParams } from '../../http/validate'
import { addAccountContact, editAccountContact } from '../../sales/account-contacts'
import {
  accountListQuery,
  accountPatchSchema,
  contactPatchSchema,
  newAccountSchema,
  newContactSchema,
  newSiteSchema,
  sitePatchSchema,
} from '../../sales/account-schemas'
import { sales } from '../../sales/remote'

export const accountsApi = new Hono<AppEnv>()
  .post('/', jsonBody(newAccountSchema), async (c) => {
    const { billing_address, ...input } = c.req.valid('json')
    const country = c.get('organization').country
    const account = unwrap(
      await sales(c.get('org')).accounts.createAccount({
        ...input,
        ...(billing_address
          ? { billing_address: { ...billing_address, country: billing_address.country ?? country } }
          : {}),
      }),
    )
    return c.json({ account_id: account.id, account }, 201)
  })
  .get('/', queryParams(accountListQuery), async (c) =>
    c.json({ items: await sales(c.get('org')).accounts.listAccounts(c.req.valid('query')) }),
  )
  .get('/:id', async (c) => c.json(unwrap(await sales(c.get('org')).accounts.getAccount(c.req.param('id')))))
  .patch('/:id', jsonBody(accountPatchSchema), async (c) => {
    const { billing_address, ...patch } = c.req.valid('json')
    const country = c.get('organization').country
    return c.json(
      unwrap(
        await sales(c.get('org')).accounts.updateAccount(c.req.param('id'), {
          ...patch,
          ...(billing_address !== undefined
            ? {
                billing_address: billing_address && { ...billing_address, country: billing_address.country ?? country },
              }
            : {}),
        }),
      ),
    )
  })
  .post('/:id/contacts', jsonBody(newContactSchema), async (c) => {
    const { contact, created } = await addAccountContact(
      c.env,
      c.get('organization'),
      c.get('org'),
      c.req.param('id'),
      c.req.valid('json'),
      authorOf(c.get('session')),
    )
    return c.json({ contact_id: contact.contact_id, contact }, created ? 201 : 200)
  })
  .patch('/:id/contacts/:contact_id', jsonBody(contactPatchSchema), async (c) => {
    const { id, contact_id } = c.req.param()
    return c.json(
      await editAccountContact(
        c.env,
        c.get('organization'),
        c.get('org'),
        id,
        contact_id,
        c.req.valid('json'),
        authorOf(c.get('session')),
      ),
    )
  })
  .delete('/:id/contacts/:contact_id', async (c) => {
    const { id, contact_id } = c.req.param()
    return c.json(unwrap(await sales(c.get('org')).accounts.removeContact(id, contact_id)))
  })
  .get('/:id/sites', async (c) =>
    c.json({ items: unwrap(await sales(c.get('org')).accounts.listSites(c.req.param('id'))) }),
  )
  .post('/:id/sites', jsonBody(newSiteSchema), async (c) => {
    const input = c.req.valid('json')
    const site = unwrap(
      await sales(c.get('org')).accounts.addSite(c.req.param('id'), {
        ...input,
        country: input.country ?? c.get('organization').country,
      }),
    )
    return c.json({ site_id: site.site_id, site }, 201)
  })
  .patch('/:id/sites/:site_id', jsonBody(sitePatchSchema), async (c) => {
    const { id, site_id } = c.req.param()
    return c.json(unwrap(await sales(c.get('org')).accounts.updateSite(id, site_id, c.req.valid('json'))))
  })
  .delete('/:id/sites/:site_id', async (c) => {
    const { id, site_id } = c.req.param()
    return c.json(unwrap(await sales(c.get('org')).accounts.removeSite(id, site_id)))
  })
