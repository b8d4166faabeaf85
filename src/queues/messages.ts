/** Messages carried by the `events` queue. */
import type { PersonSnapshot } from '../people/registry'

/** A person's shared contact fields changed: every organization holding them refreshes its copy. */
export type ContactUpdatedMessage = { type: 'contact_updated'; snapshot: PersonSnapshot }

export type EventMessage = ContactUpdatedMessage
