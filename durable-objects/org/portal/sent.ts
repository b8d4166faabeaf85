/** Whether a requested message (an "on my way", a moved-visit notice) already went, found by its once-only key. */
import { eq } from 'drizzle-orm'
import type { OrgDb } from '../db'
import { messages } from '../schema'

/** A requested message as the job page mentions it: when it was written and where it is now. */
export type SentMessage = { id: string; created_at: string; status: string }

export function sentMessage(db: OrgDb, dedupeKey: string): SentMessage | null {
  const row = db
    .select({ id: messages.id, created_at: messages.createdAt, status: messages.status })
    .from(messages)
    .where(eq(messages.dedupeKey, dedupeKey))
    .get()
  return row ?? null
}
