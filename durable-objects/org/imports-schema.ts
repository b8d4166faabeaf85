/** Drizzle schema of an organization's CSV imports of clients: progress, applied batches, rejected rows. Re-exported by `schema.ts`. */
import { sql } from 'drizzle-orm'
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`

export const IMPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const
export type ImportStatus = (typeof IMPORT_STATUSES)[number]

/** A CSV import of clients: its progress, counted as each batch of rows is applied once. */
export const clientImports = sqliteTable('client_imports', {
  id: text('id').primaryKey(),
  status: text('status', { enum: IMPORT_STATUSES }).notNull().default('queued'),
  total: integer('total').notNull(),
  batches: integer('batches').notNull(),
  batchesDone: integer('batches_done').notNull().default(0),
  done: integer('done').notNull().default(0),
  failed: integer('failed').notNull().default(0),
  created: integer('created').notNull().default(0),
  /** Batches that could not be applied after every retry; the import ends as `failed`. */
  batchesLost: integer('batches_lost').notNull().default(0),
  createdAt: text('created_at').notNull().default(now),
  startedAt: text('started_at'),
  finishedAt: text('finished_at'),
})

/** The batches already applied, so a redelivered queue message counts nothing twice. */
export const clientImportBatches = sqliteTable(
  'client_import_batches',
  {
    importId: text('import_id').notNull(),
    seq: integer('seq').notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.seq] })],
)

/** One line per rejected row: `row` counts data rows from 1, the header not counted. */
export const clientImportErrors = sqliteTable(
  'client_import_errors',
  {
    importId: text('import_id').notNull(),
    row: integer('row').notNull(),
    message: text('message').notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.row] })],
)
