/** Commercial accounts: the company, its contacts (one primary) and sites, and its jobs and invoices rolled up. */
import type { OrgHost } from '../host'
import { attempt, type Result } from '../result'
import * as accounts from './accounts/accounts'
import * as contacts from './accounts/contacts'
import * as crmCompanies from './accounts/crm-companies'
import * as detail from './accounts/detail'
import * as sites from './accounts/sites'
import type { SalesDeps } from './module'

export class Accounts {
  constructor(
    private readonly host: OrgHost,
    // Accounts read and write only their own tables and the clients' account column.
    _deps: SalesDeps,
  ) {}

  createAccount(input: accounts.NewAccount): Promise<Result<accounts.Account>> {
    return this.host.write(() => accounts.createAccount(this.host.db, input, this.host.clock.now()))
  }

  listAccounts(query: { q?: string; limit: number }): accounts.AccountListItem[] {
    return accounts.listAccounts(this.host.db, query)
  }

  /** The account with its contacts, sites, jobs, invoices and totals; a 404 failure for another business's id. */
  getAccount(id: string): Result<detail.AccountDetail> {
    return attempt(() => detail.accountDetail(this.host.db, id, this.host.tz(), this.host.clock.now()))
  }

  /** The account alone (name, billing address), or a 404 failure. */
  accountRecord(id: string): Result<accounts.Account> {
    return attempt(() => accounts.requireAccount(this.host.db, id))
  }

  updateAccount(id: string, patch: accounts.AccountPatch): Promise<Result<accounts.Account>> {
    return this.host.write(() => accounts.updateAccount(this.host.db, id, patch, this.host.clock.now()))
  }

  addContact(
    accountId: string,
    input: contacts.NewContact,
  ): Promise<Result<{ contact: contacts.AccountContact; created: boolean }>> {
    return this.host.write(() => contacts.addContact(this.host.db, accountId, input, this.host.clock.now()))
  }

  getContact(accountId: string, contactId: string): Result<contacts.AccountContact> {
    return attempt(() => contacts.requireContact(this.host.db, accountId, contactId))
  }

  updateContact(
    accountId: string,
    contactId: string,
    patch: contacts.ContactPatch,
  ): Promise<Result<contacts.AccountContact>> {
    return this.host.write(() =>
      contacts.updateContact(this.host.db, accountId, contactId, patch, this.host.clock.now()),
    )
  }

  removeContact(accountId: string, contactId: string): Promise<Result<{ removed: true }>> {
    return this.host.write(() => contacts.removeContact(this.host.db, accountId, contactId, this.host.clock.now()))
  }

  /** Puts a client on an account or on none (the clients API's `account_id`); `move` lets it leave another account. */
  setClientAccount(orgClientId: string, accountId: string | null, move: boolean): Promise<Result<string | null>> {
    return this.host.write(() =>
      contacts.setClientAccount(this.host.db, orgClientId, accountId, move, this.host.clock.now()),
    )
  }

  listSites(accountId: string): Result<sites.Site[]> {
    return attempt(() => {
      accounts.requireAccount(this.host.db, accountId)
      return sites.listSites(this.host.db, accountId)
    })
  }

  addSite(accountId: string, input: sites.NewSite): Promise<Result<sites.Site>> {
    return this.host.write(() => sites.addSite(this.host.db, accountId, input, this.host.clock.now()))
  }

  updateSite(accountId: string, siteId: string, patch: sites.SitePatch): Promise<Result<sites.Site>> {
    return this.host.write(() => sites.updateSite(this.host.db, accountId, siteId, patch))
  }

  removeSite(accountId: string, siteId: string): Promise<Result<{ removed: true }>> {
    return this.host.write(() => sites.removeSite(this.host.db, accountId, siteId))
  }

  /** The site a job for this client may be booked at, or a failure: 404 for a site this business does not hold, else 400. */
  siteForClient(siteId: string, orgClientId: string): Result<sites.Site> {
    return attempt(() => sites.siteForClient(this.host.db, siteId, orgClientId))
  }

  /** The site a job was booked at, as the job page shows its address; null when it is gone. */
  siteOfJob(siteId: string): sites.SiteAddress | null {
    return sites.siteAddress(this.host.db, siteId)
  }

  /** A CRM customer's company: its account found or made, the client linked as a contact. */
  linkCrmCompany(company: crmCompanies.CrmCompany): Promise<Result<{ account_id: string; created: boolean }>> {
    return this.host.write(() => crmCompanies.linkCrmCompany(this.host.db, company, this.host.clock.now()))
  }
}
