/** A conversation's replies with the tone the assistant read of each, for the API and the pages. */
import type { ConversationItem } from '../../../durable-objects/org/messaging/conversations'
import type { OrgObject } from '../../../durable-objects/org/org-object'
import type { SentimentLabel } from '../../../durable-objects/org/sales/assistant/sentiment'
import { sales } from '../remote'

export type { SentimentLabel }

/** A message of a thread, with its `sentiment` when it is a reply whose tone was read. */
export type WithSentiment<T extends ConversationItem = ConversationItem> = T & { sentiment?: SentimentLabel }

/** Adds `sentiment` to each reply (`direction: "in"`) that has one; one call to the object for all of them. */
export async function withSentiment<T extends ConversationItem>(
  org: DurableObjectStub<OrgObject>,
  items: T[],
): Promise<WithSentiment<T>[]> {
  const ids = items.filter((i) => i.direction === 'in').map((i) => i.id)
  if (ids.length === 0) return items
  const read = await sales(org).assistant.sentiments(ids)
  return items.map((i) => {
    const sentiment = i.direction === 'in' ? read[i.id] : undefined
    return sentiment ? { ...i, sentiment } : i
  })
}
