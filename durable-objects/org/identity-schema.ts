/** Tables for repairing client cards: merges (with what each moved, so an undo is exact) and the audit log. */
import { sql } from 'drizzle-orm'
import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core'

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`

/**
 * Two cards of this business made one: `fromClientId` moved into `intoClientId`. `moved` lists the
 * ids of every row that changed client (by table), `before` holds both cards as they were, so an
 * undo puts back exactly what the merge changed.
 */
export const clientMerges = sqliteTable(
  'client_merges',
  {
    id: text('id').primaryKey(),
    intoClientId: text('into_client_id').notNull(),
    fromClientId: text('from_client_id').notNull(),
    moved: text('moved', { mode: 'json' }).$type<Record<string, string[]>>().notNull(),
    before: text('before', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    actor: text('actor'),
    createdAt: text('created_at').notNull().default(now),
    undoneAt: text('undone_at'),
    undoneBy: text('undone_by'),
  },
  (t) => [index('client_merges_into_idx').on(t.intoClientId), index('client_merges_from_idx').on(t.fromClientId)],
)

/** Who did what to client cards: merges, undos, reverts. Append-only. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    action: text('action').notNull(),
    orgClientId: text('org_client_id'),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    actor: text('actor'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('audit_log_created_idx').on(t.createdAt), index('audit_log_client_idx').on(t.orgClientId, t.createdAt)],
)
