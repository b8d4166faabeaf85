/** The ORG object's repair of duplicate cards: suggestions, merge with preview, undo, and the audit log. */
import * as duplicates from '../duplicates'
import * as merges from '../merges'
import { attempt, type Result } from '../result'
import { OrgCards } from './cards'

export class OrgMerges extends OrgCards {
  /** Pairs of live clients that look like one person, with why. */
  async findDuplicates(): Promise<duplicates.DuplicatePair[]> {
    return duplicates.findDuplicates(this.db)
  }

  /** The same pairs with a brief of each client, for the duplicates page. */
  async duplicateSuggestions(): Promise<ReturnType<typeof duplicates.duplicateSuggestions>> {
    return duplicates.duplicateSuggestions(this.db)
  }

  /** Both cards side by side and what a merge would move; 404/400 as the merge would answer. */
  async previewMerge(intoId: string, fromId: string): Promise<Result<merges.MergePreview>> {
    return attempt(() => merges.previewMerge(this.db, intoId, fromId))
  }

  /** Merges one card into another; moved reminders and enrollments keep the due-work index right. */
  async mergeClients(intoId: string, fromId: string, actor: string): Promise<Result<{ merge_id: string; org_client_id: string }>> {
    return this.change(() => merges.mergeClients(this.db, intoId, fromId, actor))
  }

  /** Undoes a merge: both cards and their rows as before. */
  async undoMerge(mergeId: string, actor: string): Promise<Result<{ merge_id: string; org_client_ids: [string, string] }>> {
    return this.change(() => merges.undoMerge(this.db, mergeId, actor))
  }

  /** Merges newest first, for the history page and the API. */
  async listMerges(): Promise<merges.MergeItem[]> {
    return merges.listMerges(this.db)
  }

  /** The audit log newest first, optionally about one client. */
  async listAudit(query: { org_client_id?: string; limit: number }): Promise<merges.AuditItem[]> {
    return merges.listAudit(this.db, query)
  }
}
