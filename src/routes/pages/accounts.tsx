/** Staff pages of commercial accounts: list, new, an account's page with contacts, sites, jobs and invoices. */
import { type Context, Hono } from 'hono'
import type { Child } from 'hono/jsx'
import { unwrap } from '../../../durable-objects/org/result'
import { ContactsCard, type ContactEditing } from '../../../views/accounts/contacts'
import { AccountRows, AccountsPage, accountsPage, NewAccountForm, NewAccountPage } from '../../../views/accounts/list'
import { AccountDetails, AccountPage, type AccountPageProps, AccountSummary } from '../../../views/accounts/page'
import { bookingClient, type SiteAdding, SitesCard } from '../../../views/accounts/sites'
import { AccountWork } from '../../../views/accounts/work'
import type { FormErrors, FormValues } from '../../../views/fields'
import { fragment } from '../../../views/layout'
import { authorOf } from '../../clients/intake'
import type { AppEnv } from '../../env'
import { AppError } from '../../errors'
import { addAccountContact, editAccountContact } from '../../sales/account-contacts'
import {
  accountForm,
  accountRules,
  contactEditForm,
  contactForm,
  contactRules,
  siteForm,
} from '../../sales/account-forms'
import { sales } from '../../sales/remote'
import { fieldErrors, formBody, formStrings, ID, isHtmx } from './forms'

const accountsOf = (c: Context<AppEnv>) => sales(c.get('org')).accounts

/** The account with everything its page shows, or a 404 for another business's id. */
const detailOf = async (c: Context<AppEnv>, id: string) => unwrap(await accountsOf(c).getAccount(id))

/** The whole account page with what came back (a form with errors, a message), with `status`. */
async function accountPage(
  c: Context<AppEnv>,
  id: string,
  extra: Omit<AccountPageProps, 'account'> = {},
  status: 200 | 409 | 422 = 200,
) {
  const account = await detailOf(c, id)
  c.status(status)
  return c.render(<AccountPage account={account} {...extra} />, accountsPage(account.name))
}

/** A changed card for htmx, with the totals and work lists that a contact or site change may move; else back to the page. */
async function changed(c: Context<AppEnv>, id: string, card: (a: Awaited<ReturnType<typeof detailOf>>) => Child) {
  if (!isHtmx(c)) return c.redirect(`/app/accounts/${id}`, 303)
  const account = await detailOf(c, id)
  return fragment(
    c,
    <>
      {card(account)}
      <hx-partial hx-target="#account-work" hx-swap="outerHTML">
        <AccountWork account={account} tz={c.get('organization').timezone} />
      </hx-partial>
      <hx-partial hx-target="#account-summary" hx-swap="outerHTML">
        <AccountSummary account={account} />
      </hx-partial>
    </>,
  )
}

/** The contacts card with a form open or a refusal, in place for htmx (else the page), with `status`. */
async function contactsAgain(
  c: Context<AppEnv>,
  id: string,
  state: { editing?: ContactEditing; error?: string },
  status: 409 | 422,
) {
  if (!isHtmx(c)) return accountPage(c, id, { contactEdit: state.editing, contactError: state.error }, status)
  const account = await detailOf(c, id)
  return fragment(c, <ContactsCard accountId={id} contacts={account.contacts} {...state} />, status)
}

/** The sites card with the add form open or a refusal, in place for htmx (else the page), with `status`. */
async function sitesAgain(
  c: Context<AppEnv>,
  id: string,
  state: { adding?: SiteAdding; error?: string },
  status: 409 | 422,
) {
  if (!isHtmx(c)) return accountPage(c, id, { siteAdding: state.adding, siteError: state.error }, status)
  const account = await detailOf(c, id)
  return fragment(
    c,
    <SitesCard accountId={id} sites={account.sites} bookFor={bookingClient(account.contacts)} {...state} />,
    status,
  )
}

/** An expected refusal (409, or a 400 with the fields at fault) as data, anything else thrown on. */
async function refusal<T>(write: () => Promise<T>): Promise<{ ok: T } | { error: AppError }> {
  try {
    return { ok: await write() }
  } catch (error) {
    if (error instanceof AppError && (error.status === 409 || error.status === 400)) return { error }
    throw error
  }
}

/** A refused write's errors beside the form's fields (else on the form as a whole). */
const errorsOf = (error: AppError): FormErrors =>
  error.issues
    ? fieldErrors(error.issues.map((i) => ({ path: i.path.split('.'), message: i.message })))
    : { form: error.message }

const newAccountInvalid = (c: Context<AppEnv>, values: FormValues, errors: FormErrors) => {
  c.status(422)
  return isHtmx(c)
    ? fragment(c, <NewAccountForm values={values} errors={errors} />)
    : c.render(<NewAccountPage values={values} errors={errors} />, accountsPage('New account'))
}

export const accountsPages = new Hono<AppEnv>()
  .get('/', async (c) => {
    const q = (c.req.query('q') ?? '').trim().slice(0, 100) || undefined
    const items = await accountsOf(c).listAccounts({ q, limit: 200 })
    c.header('Vary', 'HX-Request')
    if (isHtmx(c)) return c.html(<AccountRows items={items} q={q} />)
    return c.render(<AccountsPage q={q} items={items} />, accountsPage('Accounts'))
  })
  .get('/new', (c) => c.render(<NewAccountPage values={{}} errors={{}} />, accountsPage('New account')))
  .post('/', formBody(accountForm, newAccountInvalid, { rules: accountRules }), async (c) => {
    const { name, tax_id, notes, billing_address } = c.req.valid('form')
    const country = c.get('organization').country
    const account = unwrap(
      await accountsOf(c).createAccount({
        name: name!,
        ...(tax_id ? { tax_id } : {}),
        ...(notes ? { notes } : {}),
        ...(billing_address ? { billing_address: { ...billing_address, country } } : {}),
      }),
    )
    const url = `/app/accounts/${account.id}`
    if (!isHtmx(c)) return c.redirect(url, 303)
    c.header('HX-Redirect', url)
    return c.body(null, 201)
  })
  .get(`/:id{${ID}}`, async (c) => accountPage(c, c.req.param('id')))
  .post(
    `/:id{${ID}}`,
    formBody(
      accountForm,
      async (c, values, errors) => {
        const id = c.req.param('id')!
        if (!isHtmx(c)) return accountPage(c, id, { details: { values, errors } }, 422)
        const account = unwrap(await accountsOf(c).accountRecord(id))
        return fragment(c, <AccountDetails account={account} values={values} errors={errors} />, 422)
      },
      { rules: accountRules },
    ),
    async (c) => {
      const id = c.req.param('id')
      const { billing_address, ...patch } = c.req.valid('form')
      const country = c.get('organization').country
      const account = unwrap(
        await accountsOf(c).updateAccount(id, {
          ...patch,
          billing_address: billing_address ? { ...billing_address, country } : null,
        }),
      )
      if (!isHtmx(c)) return c.redirect(`/app/accounts/${id}`, 303)
      return fragment(c, <AccountDetails account={account} notice="Saved." />)
    },
  )
  .post(
    `/:id{${ID}}/contacts`,
    formBody(
      contactForm,
      (c, values, errors) => contactsAgain(c, c.req.param('id')!, { editing: { id: 'new', values, errors } }, 422),
      { rules: contactRules },
    ),
    async (c) => {
      const id = c.req.param('id')
      const input = c.req.valid('form')
      const added = await refusal(() =>
        addAccountContact(c.env, c.get('organization'), c.get('org'), id, input, authorOf(c.get('session'))),
      )
      if ('error' in added)
        return contactsAgain(
          c,
          id,
          { editing: { id: 'new', values: await formStrings(c), errors: errorsOf(added.error) } },
          added.error.status === 409 ? 409 : 422,
        )
      return changed(c, id, (a) => (
        <ContactsCard
          accountId={id}
          contacts={a.contacts}
          notice={added.ok.created ? 'Contact added.' : 'Already a contact of this account.'}
        />
      ))
    },
  )
  .post(
    `/:id{${ID}}/contacts/:contact{${ID}}`,
    formBody(contactEditForm, (c, values, errors) =>
      contactsAgain(c, c.req.param('id')!, { editing: { id: c.req.param('contact')!, values, errors } }, 422),
    ),
    async (c) => {
      const { id, contact } = c.req.param()
      const edit = await refusal(() =>
        editAccountContact(
          c.env,
          c.get('organization'),
          c.get('org'),
          id,
          contact,
          c.req.valid('form'),
          authorOf(c.get('session')),
        ),
      )
      if ('error' in edit)
        return contactsAgain(
          c,
          id,
          { editing: { id: contact, values: await formStrings(c), errors: errorsOf(edit.error) } },
          edit.error.status === 409 ? 409 : 422,
        )
      return changed(c, id, (a) => <ContactsCard accountId={id} contacts={a.contacts} notice="Contact saved." />)
    },
  )
  .post(`/:id{${ID}}/contacts/:contact{${ID}}/primary`, async (c) => {
    const { id, contact } = c.req.param()
    unwrap(await accountsOf(c).updateContact(id, contact, { is_primary: true }))
    return changed(c, id, (a) => (
      <ContactsCard
        accountId={id}
        contacts={a.contacts}
        notice="Primary contact changed: the account's messages go there now."
      />
    ))
  })
  .post(`/:id{${ID}}/contacts/:contact{${ID}}/remove`, async (c) => {
    const { id, contact } = c.req.param()
    unwrap(await accountsOf(c).removeContact(id, contact))
    return changed(c, id, (a) => <ContactsCard accountId={id} contacts={a.contacts} notice="Contact removed." />)
  })
  .post(
    `/:id{${ID}}/sites`,
    formBody(siteForm, (c, values, errors) => sitesAgain(c, c.req.param('id')!, { adding: { values, errors } }, 422)),
    async (c) => {
      const id = c.req.param('id')
      const site = c.req.valid('form')
      unwrap(await accountsOf(c).addSite(id, { ...site, country: site.country ?? c.get('organization').country }))
      return changed(c, id, (a) => (
        <SitesCard accountId={id} sites={a.sites} bookFor={bookingClient(a.contacts)} notice="Site added." />
      ))
    },
  )
  .post(`/:id{${ID}}/sites/:site{${ID}}/remove`, async (c) => {
    const { id, site } = c.req.param()
    const removed = await refusal(async () => unwrap(await accountsOf(c).removeSite(id, site)))
    if ('error' in removed) return sitesAgain(c, id, { error: removed.error.message }, 409)
    return changed(c, id, (a) => (
      <SitesCard accountId={id} sites={a.sites} bookFor={bookingClient(a.contacts)} notice="Site removed." />
    ))
  })
