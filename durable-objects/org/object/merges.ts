/** The ORG object's repair of duplicate cards: suggestions, merge with preview, undo, and the audit log. */
import { OrgCards } from './cards'

export class OrgMerges extends OrgCards {
}
