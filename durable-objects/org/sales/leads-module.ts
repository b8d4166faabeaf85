/** Leads and their pipeline: lead statuses, leads, conversion to clients, activities, the conversion report. */
import type { OrgHost } from '../host'
import type { SalesDeps } from './module'

export class Leads {
  constructor(
    private readonly host: OrgHost,
    private readonly deps: SalesDeps,
  ) {}
}
