/**
 * CSV imports of clients inside the ORG object: the import's progress and row errors, and each
 * batch applied in one transaction. A batch is counted once, however often it is delivered; its
 * rows are written by import-rows.ts.
 */
import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import type { CardInput } from '../cards/cards'
import type { AddressInput, ClientStatus } from './clients'
import type { OrgDb } from '../db'
import { clientImportBatches, clientImportErrors, clientImports, type ImportStatus } from '../schema'
import { writeImportRows } from './import-rows'

export type ImportRowError = { row: number; message: string }

export type ImportState = {
  import_id: string
  status: ImportStatus
  total: number
  done: number
  failed: number
  /** Of `done`, the clients this import created; the rest were already clients. */
  created: number
  errors: ImportRowError[]
  created_at: string
  started_at: string | null
  finished_at: string | null
}

/** One valid row, its person already upserted in the registry (or, without email and phone, made up by the Worker). */
export type ImportItem = {
  row: number
  person: CardInput
  /** No email and no phone: the object matches it to its own clients by external id, then by name. */
  contactless: boolean
  status?: ClientStatus
  tags: string[]
  notes?: string
  address?: AddressInput
  external_id?: string
}

export type ImportBatch = { import_id: string; seq: number; items: ImportItem[]; errors: ImportRowError[] }

export type ImportedRow = {
  row: number
  person_id: string
  org_client_id: string
  created: boolean
  contactless: boolean
}

/** `found: false` when this object has no such import (the message is dropped). */
export type ImportBatchResult = { found: boolean; rows: ImportedRow[] }

/** Row errors shown per import; `failed` still counts them all. */
export const ERRORS_SHOWN = 1000

/** Records a new import, queued until its first batch arrives. */
export function createImport(db: OrgDb, input: { id: string; total: number; batches: number }): void {
  db.insert(clientImports).values({ id: input.id, total: input.total, batches: input.batches }).run()
}

/** An import's progress and its first row errors, or null when this organization has no such import. */
export function getImport(db: OrgDb, id: string): ImportState | null {
  const row = db.select().from(clientImports).where(eq(clientImports.id, id)).get()
  if (!row) return null
  const errors = db
    .select({ row: clientImportErrors.row, message: clientImportErrors.message })
    .from(clientImportErrors)
    .where(eq(clientImportErrors.importId, id))
    .orderBy(asc(clientImportErrors.row))
    .limit(ERRORS_SHOWN)
    .all()
  return {
    import_id: row.id,
    status: row.status,
    total: row.total,
    done: row.done,
    failed: row.failed,
    created: row.created,
    errors,
    created_at: row.createdAt,
    started_at: row.startedAt,
    finished_at: row.finishedAt,
  }
}

/**
 * Creates (or finds) the client of each row and counts the batch, in the caller's transaction.
 * A redelivered batch finds the clients it made before and changes no count.
 */
export function applyImportBatch(db: OrgDb, batch: ImportBatch): ImportBatchResult {
  const current = db
    .select({ id: clientImports.id })
    .from(clientImports)
    .where(eq(clientImports.id, batch.import_id))
    .get()
  if (!current) return { found: false, rows: [] }
  const { rows, created } = writeImportRows(db, batch.items)
  if (markApplied(db, batch.import_id, batch.seq)) {
    recordErrors(db, batch.import_id, batch.errors)
    countBatch(db, batch.import_id, { done: rows.length, failed: batch.errors.length, created, lost: 0 })
  }
  return { found: true, rows }
}

/** Counts a batch that failed on every delivery: its rows are failed with `message`, and the import ends as failed. */
export function loseImportBatch(db: OrgDb, importId: string, seq: number, rows: number[], message: string): void {
  const current = db.select({ id: clientImports.id }).from(clientImports).where(eq(clientImports.id, importId)).get()
  if (!current || !markApplied(db, importId, seq)) return
  recordErrors(
    db,
    importId,
    rows.map((row) => ({ row, message })),
  )
  countBatch(db, importId, { done: 0, failed: rows.length, created: 0, lost: 1 })
}

/** Marks a whole import failed (its rows could not be queued). */
export function failImport(db: OrgDb, importId: string): void {
  const at = new Date().toISOString()
  db.update(clientImports).set({ status: 'failed', finishedAt: at }).where(eq(clientImports.id, importId)).run()
}

/** True the first time a batch is seen. */
function markApplied(db: OrgDb, importId: string, seq: number): boolean {
  const inserted = db
    .insert(clientImportBatches)
    .values({ importId, seq })
    .onConflictDoNothing()
    .returning({ seq: clientImportBatches.seq })
    .all()
  return inserted.length > 0
}

function recordErrors(db: OrgDb, importId: string, errors: ImportRowError[]): void {
  // Three bound parameters a row: 33 rows a statement stays under the 100-parameter limit.
  for (let i = 0; i < errors.length; i += 33) {
    const chunk = errors.slice(i, i + 33).map((e) => ({ importId, row: e.row, message: e.message }))
    db.insert(clientImportErrors).values(chunk).onConflictDoNothing().run()
  }
}

function countBatch(
  db: OrgDb,
  importId: string,
  n: { done: number; failed: number; created: number; lost: number },
): void {
  const at = new Date().toISOString()
  db.update(clientImports)
    .set({
      done: sql`${clientImports.done} + ${n.done}`,
      failed: sql`${clientImports.failed} + ${n.failed}`,
      created: sql`${clientImports.created} + ${n.created}`,
      batchesLost: sql`${clientImports.batchesLost} + ${n.lost}`,
      batchesDone: sql`${clientImports.batchesDone} + 1`,
      startedAt: sql`coalesce(${clientImports.startedAt}, ${at})`,
    })
    .where(eq(clientImports.id, importId))
    .run()
  // The last batch decides how the import ends.
  db.update(clientImports)
    .set({
      status: sql`case when ${clientImports.batchesDone} < ${clientImports.batches} then 'running'
      when ${clientImports.batchesLost} > 0 then 'failed' else 'done' end`,
      finishedAt: sql`case when ${clientImports.batchesDone} < ${clientImports.batches} then null else ${at} end`,
    })
    .where(and(eq(clientImports.id, importId), isNull(clientImports.finishedAt)))
    .run()
}
