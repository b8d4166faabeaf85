/** The assistant: briefs of a lead or client, sentiment of replies, reply drafts; every call stored as an AI interaction. */
import type { OrgHost } from '../host'
import type { SalesDeps } from './module'

export class Assistant {
  constructor(
    private readonly host: OrgHost,
    private readonly deps: SalesDeps,
  ) {}
}
