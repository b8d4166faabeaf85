/**
 * A company a CRM sends with a customer becomes an account: found by the CRM's company id when it
 * has one (`provider:id`), else by its name (case aside), else made; the customer's client becomes
 * its contact. A replayed webhook finds what the first one made and changes nothing.
 */
import { eq } from 'drizzle-orm'
import type { OrgDb } from '../../db'
import { accountContacts, accounts, orgClients } from '../../schema'
import { accountNamed, createAccount } from './accounts'
import { addContact } from './contacts'

export type CrmCompany = {
  provider: string
  /** The company's name as the CRM spells it. */
  name: string
  /** The CRM's own id of the company, when it has one. */
  company_id: string | null
  /** Our client for the CRM's customer. */
  org_client_id: string
}

/** The account for the company and whether it was made now; the client is linked as its contact unless staff put it on another account. */
export function linkCrmCompany(db: OrgDb, company: CrmCompany, now: Date): { account_id: string; created: boolean } {
  const externalId = company.company_id ? `${company.provider}:${company.company_id}` : null
  let account = externalId
    ? (db.select({ id: accounts.id }).from(accounts).where(eq(accounts.externalId, externalId)).get() ?? null)
    : null
  let created = false
  if (!account) {
    // A company typed in by staff (no CRM id yet) is the same company: it takes the CRM's id.
    account = accountNamed(db, company.name, externalId !== null)
    if (account && externalId)
      db.update(accounts).set({ externalId, updatedAt: now.toISOString() }).where(eq(accounts.id, account.id)).run()
  }
  if (!account) {
    account = createAccount(db, { name: company.name, external_id: externalId }, now)
    created = true
  }
  const client = db
    .select({ accountId: orgClients.accountId })
    .from(orgClients)
    .where(eq(orgClients.id, company.org_client_id))
    .get()
  const linked = db
    .select({ id: accountContacts.id })
    .from(accountContacts)
    .where(eq(accountContacts.orgClientId, company.org_client_id))
    .get()
  if (client && !client.accountId && !linked) addContact(db, account.id, { org_client_id: company.org_client_id }, now)
  return { account_id: account.id, created }
}
