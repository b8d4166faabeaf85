/** Every call to the assistant, kept as asked and answered: written once, listed newest first by a cursor. */
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm'
import { textFromBase64url, textToBase64url } from '../../../../src/encoding'
import type { OrgDb } from '../../db'
import { type AiKind, aiInteractions } from '../../schema'
import { SENTIMENTS, type SentimentLabel } from './sentiment'

/** What an interaction was about. */
export type SubjectType = 'lead' | 'client' | 'message'

export type NewInteraction = {
  kind: AiKind
  subjectType: SubjectType
  subjectId: string
  model: string
  prompt: string
  response: string
  requestedBy: string | null
}

/** An interaction as the API lists it. */
export type Interaction = {
  id: string
  kind: AiKind
  model: string
  prompt: string
  response: string
  created_at: string
  subject_type: string
  subject_id: string
  requested_by: string | null
}

export type InteractionsQuery = { kind?: AiKind; subject_id?: string; cursor?: string; limit: number }

/** Stores one interaction at `at`; returns its id. */
export function recordInteraction(db: OrgDb, i: NewInteraction, at: Date): string {
  const id = crypto.randomUUID()
  db.insert(aiInteractions)
    .values({ id, ...i, createdAt: at.toISOString() })
    .run()
  return id
}

const columns = {
  id: aiInteractions.id,
  kind: aiInteractions.kind,
  model: aiInteractions.model,
  prompt: aiInteractions.prompt,
  response: aiInteractions.response,
  created_at: aiInteractions.createdAt,
  subject_type: aiInteractions.subjectType,
  subject_id: aiInteractions.subjectId,
  requested_by: aiInteractions.requestedBy,
}

/** Interactions newest first, by kind and subject, in pages joined by an opaque cursor. */
export function listInteractions(
  db: OrgDb,
  q: InteractionsQuery,
): { items: Interaction[]; next_cursor: string | null } {
  const where: SQL[] = []
  if (q.kind) where.push(eq(aiInteractions.kind, q.kind))
  if (q.subject_id) where.push(eq(aiInteractions.subjectId, q.subject_id))
  const after = q.cursor ? decodeCursor(q.cursor) : null
  if (after) where.push(sql`(${aiInteractions.createdAt}, ${aiInteractions.id}) < (${after.at}, ${after.id})`)
  const rows = db
    .select(columns)
    .from(aiInteractions)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(aiInteractions.createdAt), desc(aiInteractions.id))
    .limit(q.limit + 1)
    .all()
  const items = rows.slice(0, q.limit)
  const last = items[items.length - 1]
  return { items, next_cursor: rows.length > q.limit && last ? encodeCursor(last.created_at, last.id) : null }
}

/** The tone read of each of these replies (message event ids) that has one. */
export function sentimentsOf(db: OrgDb, messageIds: string[]): Record<string, SentimentLabel> {
  if (messageIds.length === 0) return {}
  const found: Record<string, SentimentLabel> = {}
  // 90 ids per statement keeps it under the 100 bound parameters an object's SQLite takes.
  for (let i = 0; i < messageIds.length; i += 90) {
    const rows = db
      .select({ id: aiInteractions.subjectId, response: aiInteractions.response })
      .from(aiInteractions)
      .where(
        and(
          eq(aiInteractions.kind, 'sentiment'),
          eq(aiInteractions.subjectType, 'message'),
          inArray(aiInteractions.subjectId, messageIds.slice(i, i + 90)),
        ),
      )
      .orderBy(aiInteractions.createdAt)
      .all()
    for (const r of rows) {
      const label = labelOf(r.response)
      if (label) found[r.id] = label
    }
  }
  return found
}

/** The label in a stored sentiment response (`{"sentiment":"negative",…}`); null when unreadable. */
export function labelOf(response: string): SentimentLabel | null {
  try {
    const value = (JSON.parse(response) as { sentiment?: unknown }).sentiment
    return SENTIMENTS.find((s) => s === value) ?? null
  } catch {
    return null
  }
}

function encodeCursor(at: string, id: string): string {
  return textToBase64url(`${at}|${id}`)
}

/** A malformed cursor reads as "from the start" rather than an error. */
function decodeCursor(cursor: string): { at: string; id: string } | null {
  try {
    const [at, id] = textFromBase64url(cursor).split('|')
    return at && id ? { at, id } : null
  } catch {
    return null
  }
}
