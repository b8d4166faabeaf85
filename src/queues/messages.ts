/** Messages carried by the `events` queue. */
import type { RawRow } from '../imports/columns'
import type { PersonSnapshot } from '../people/registry'

/** A person's shared contact fields changed: every organization holding them refreshes its copy. */
export type ContactUpdatedMessage = { type: 'contact_updated'; snapshot: PersonSnapshot }

/** One batch of an import's rows (at most 100, and well under the 128 KB message limit). */
export type ImportRowsMessage = {
  type: 'import_rows'
  organization_id: string
  import_id: string
  seq: number
  /** The organization's country, for phones written without a country code. */
  country: string
  rows: Array<{ row: number; fields: RawRow }>
}

/** The clock found work due in an organization: its object claims and decides it. */
export type RunDueMessage = { type: 'run_due'; organization_id: string }

export type EventMessage = ContactUpdatedMessage | ImportRowsMessage | RunDueMessage
