/**
 * The ORG object's sales domain (seed 002): leads and their pipeline, estimates, commercial
 * accounts, and the assistant. It reaches the Worker through one RPC method, `salesCall`, and the
 * Worker calls it through typed proxies (src/sales/remote.ts), so the object's façade does not
 * grow a line per sales method.
 */
import type { Crm } from '../crm/module'
import type { OrgHost } from '../host'
import type { Journeys } from '../journeys/module'
import type { Messaging } from '../messaging/module'
import type { Portal } from '../portal/module'
import { Accounts } from './accounts-module'
import { Assistant } from './assistant-module'
import { Calls } from './calls-module'
import { callPublic } from '../public-call'
import { Estimates } from './estimates-module'
import { Leads } from './leads-module'

/** The other domains sales work reaches into. */
export type SalesDeps = { crm: Crm; portal: Portal; journeys: Journeys; messaging: Messaging }

export class Sales {
  readonly leads: Leads
  readonly estimates: Estimates
  readonly accounts: Accounts
  readonly assistant: Assistant
  readonly calls: Calls

  constructor(host: OrgHost, deps: SalesDeps) {
    this.leads = new Leads(host, deps)
    this.accounts = new Accounts(host, deps)
    this.estimates = new Estimates(host, deps, this.leads)
    this.assistant = new Assistant(host, deps)
    this.calls = new Calls(host)
  }

  /** Calls one public method of one area; anything else (a field, the constructor, a `_` name) is refused. */
  call(area: SalesArea, method: string, args: unknown[]): unknown {
    if (!AREAS.includes(area)) throw new Error(`sales: no area ${area}`)
    return callPublic(this[area], `sales ${area}`, method, args)
  }
}

export const AREAS = ['leads', 'estimates', 'accounts', 'assistant', 'calls'] as const
export type SalesArea = (typeof AREAS)[number]
export type SalesAreas = {
  leads: Leads
  estimates: Estimates
  accounts: Accounts
  assistant: Assistant
  calls: Calls
}
