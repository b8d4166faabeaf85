/** Estimates (seed 002's opportunities): lines and tax as invoices, sent with an approval link, approved or declined, expired, booked as a job. */
import type { OrgHost } from '../host'
import type { Leads } from './leads-module'
import type { SalesDeps } from './module'

export class Estimates {
  constructor(
    private readonly host: OrgHost,
    private readonly deps: SalesDeps,
    private readonly leads: Leads,
  ) {}
}
