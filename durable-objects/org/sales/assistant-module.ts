/**
 * The assistant: briefs of a lead or client, sentiment of replies, reply drafts; every call stored
 * as an AI interaction. Each method delegates to assistant/*.ts; every public method is callable
 * from the Worker (src/sales/remote.ts), so expected failures come back as Results.
 */
import type { OrgHost } from '../host'
import type { Result } from '../result'
import type { SalesDeps } from './module'
import * as briefs from './assistant/briefs'
import * as interactions from './assistant/interactions'
import * as replies from './assistant/replies'
import type { SentimentLabel } from './assistant/sentiment'

export class Assistant {
  // The other domains are not needed: the assistant reads their tables and writes only its own.
  constructor(
    private readonly host: OrgHost,
    _deps: SalesDeps,
  ) {}

  /** The brief of a client: summary, next action, priority; stored. */
  briefClient(id: string, requestedBy: string | null = null): Promise<Result<briefs.Brief>> {
    return briefs.briefClient(this.host, id, requestedBy)
  }

  /** The brief of a lead, also kept on the lead (`ai_*`); stored. */
  briefLead(id: string, requestedBy: string | null = null): Promise<Result<briefs.Brief>> {
    return briefs.briefLead(this.host, id, requestedBy)
  }

  /** A suggested answer to the client's latest message, for staff to edit before sending; stored. */
  replyDraft(
    orgClientId: string,
    channel: 'sms' | 'email',
    requestedBy: string | null = null,
  ): Promise<Result<replies.Draft>> {
    return replies.replyDraft(this.host, orgClientId, channel, requestedBy)
  }

  /** Reads the tone of a reply just filed (the ORG object calls it after filing one); stored. */
  readReply(orgClientId: string, reply: replies.FiledReply): Promise<SentimentLabel | null> {
    return replies.readReply(this.host, orgClientId, reply)
  }

  /** The tone of each of these replies (message ids of a conversation) that has been read. */
  sentiments(messageIds: string[]): Record<string, SentimentLabel> {
    return interactions.sentimentsOf(this.host.db, messageIds)
  }

  /** Every stored interaction, newest first, by kind and subject. */
  listInteractions(query: interactions.InteractionsQuery): {
    items: interactions.Interaction[]
    next_cursor: string | null
  } {
    return interactions.listInteractions(this.host.db, query)
  }
}
