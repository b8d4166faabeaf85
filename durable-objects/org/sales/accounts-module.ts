/** Commercial accounts: the company, its contacts (one primary) and sites, and its jobs and invoices rolled up. */
import type { OrgHost } from '../host'
import type { SalesDeps } from './module'

export class Accounts {
  constructor(
    private readonly host: OrgHost,
    private readonly deps: SalesDeps,
  ) {}
}
