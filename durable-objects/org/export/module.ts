/**
 * A business's data leaving and arriving: pages of each exported table for the Worker to stream,
 * whether the business is still empty, and an export's rows written into a new business. The
 * Worker reaches it through one RPC entry, `dataPort`, typed by src/export/remote.ts.
 */
import { conflict } from '../../../src/errors'
import { ensureIndexed } from '../crm/search'
import type { OrgHost } from '../host'
import type { Result } from '../result'
import { type ExportPage, occupancy, readPage } from './dump'
import { type RestoreCounts, type RestoreData, restoreRows } from './restore'
import type { ExportTable } from './tables'

export class DataPort {
  constructor(private readonly host: Pick<OrgHost, 'db' | 'write'>) {}

  /** One page of a table, after a rowid. */
  page(table: ExportTable, after: number, limit: number): ExportPage {
    return readPage(this.host.db, table, after, limit)
  }

  /** How many clients, jobs and invoices the business has. */
  occupancy(): { clients: number; jobs: number; invoices: number } {
    return occupancy(this.host.db)
  }

  /** Writes an export's rows in one transaction, then indexes the clients for search; the due-time index follows. */
  async restore(data: RestoreData): Promise<Result<RestoreCounts>> {
    return this.host.write(() => {
      if (occupancy(this.host.db).clients > 0) return refuse()
      const counts = restoreRows(this.host.db, data)
      ensureIndexed(this.host.db)
      return counts
    })
  }

  /** Calls one of the methods above by name; anything else is refused. */
  call(method: string, args: unknown[]): unknown {
    if (!PORT_METHODS.includes(method as PortMethod)) throw new Error(`export: no method ${method}`)
    const fn = this[method as PortMethod] as (...a: unknown[]) => unknown
    return fn.apply(this, args)
  }
}

export const PORT_METHODS = ['page', 'occupancy', 'restore'] as const
export type PortMethod = (typeof PORT_METHODS)[number]

function refuse(): never {
  throw conflict('This business already has clients; import into a new business.')
}
