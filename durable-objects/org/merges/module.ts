/** The ORG object's repair of duplicate cards: suggestions, merge with preview, undo, and the audit log. */
import * as duplicates from './duplicates'
import type { OrgHost } from '../host'
import * as merges from './merges'
import { attempt, type Result } from '../result'

export type MergesHost = Pick<OrgHost, 'db' | 'write' | 'clock'>

export class Merges {
  constructor(private readonly host: MergesHost) {}

  /** Pairs of live clients that look like one person, with why. */
  findDuplicates(): duplicates.DuplicatePair[] {
    return duplicates.findDuplicates(this.host.db)
  }

  /** The same pairs with a brief of each client, for the duplicates page. */
  duplicateSuggestions(): ReturnType<typeof duplicates.duplicateSuggestions> {
    return duplicates.duplicateSuggestions(this.host.db)
  }

  /** Both cards side by side and what a merge would move; 404/400 as the merge would answer. */
  previewMerge(intoId: string, fromId: string): Result<merges.MergePreview> {
    return attempt(() => merges.previewMerge(this.host.db, intoId, fromId))
  }

  /** Merges one card into another; moved reminders and enrollments keep the due-work index right. */
  mergeClients(
    intoId: string,
    fromId: string,
    actor: string,
  ): Promise<Result<{ merge_id: string; org_client_id: string }>> {
    return this.host.write(() =>
      merges.mergeClients(this.host.db, intoId, fromId, actor, this.host.clock.now().toISOString()),
    )
  }

  /** Undoes a merge: both cards and their rows as before. */
  undoMerge(mergeId: string, actor: string): Promise<Result<{ merge_id: string; org_client_ids: [string, string] }>> {
    return this.host.write(() => merges.undoMerge(this.host.db, mergeId, actor, this.host.clock.now().toISOString()))
  }

  /** Merges newest first, for the history page and the API. */
  listMerges(): merges.MergeItem[] {
    return merges.listMerges(this.host.db)
  }

  /** The audit log newest first, optionally about one client. */
  listAudit(query: { org_client_id?: string; limit: number }): merges.AuditItem[] {
    return merges.listAudit(this.host.db, query)
  }
}
