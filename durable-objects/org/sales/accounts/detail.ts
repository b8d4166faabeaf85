/** One account as its page and GET show it: the account with its contacts, sites, jobs, invoices and totals. */
import type { OrgDb } from '../../db'
import { type Account, requireAccount } from './accounts'
import { type AccountContact, listContacts } from './contacts'
import {
  type AccountInvoice,
  type AccountJob,
  type AccountTotals,
  accountInvoices,
  accountJobs,
  accountTotals,
} from './rollups'
import { listSites, type Site } from './sites'

export type AccountDetail = Account & {
  contacts: AccountContact[]
  sites: Site[]
  /** Newest first, at most 25; `jobs_count` says how many there are. */
  jobs: AccountJob[]
  jobs_count: number
  /** Newest first, at most 25; `invoices_count` says how many there are. */
  invoices: AccountInvoice[]
  invoices_count: number
  totals: AccountTotals
}

/** The account with everything its page shows; throws 404 for an id this business does not hold. */
export function accountDetail(db: OrgDb, id: string, tz: string, now: Date): AccountDetail {
  const account = requireAccount(db, id)
  const jobs = accountJobs(db, id)
  const invoices = accountInvoices(db, id, tz, now)
  return {
    ...account,
    contacts: listContacts(db, id),
    sites: listSites(db, id),
    jobs: jobs.items,
    jobs_count: jobs.count,
    invoices: invoices.items,
    invoices_count: invoices.count,
    totals: accountTotals(db, id, tz, now),
  }
}
