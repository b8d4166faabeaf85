/**
 * CSV imports of clients inside the ORG object: the import's progress and row errors (rows skipped,
 * and rows imported without a field that did not hold up), and each
 * batch applied in one transaction. A batch is counted once, however often it is delivered; its
 * rows are written by import-rows.ts.
 */
import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import type { CardInput } from '../cards/cards'
import type { AddressInput, ClientStatus } from './clients'
import type { OrgDb } from '../db'
import { clientImportBatches, clientImportErrors, clientImports, type ImportStatus } from '../schema'
import { writeImportRows } from './import-rows'

/**
 * A row the import could not take whole: skipped (`imported: false`), or imported without the
 * `fields` named (`imported: true`).
 */
export type ImportRowError = { row: number; message: string; fields?: string[]; imported?: boolean }

export type ImportState = {
  import_id: string
  status: ImportStatus
  total: number
  done: number
  failed: number
  /** Of `done`, the clients this import created; the rest were already clients. */
  created: number
  /** Of `done`, the rows imported without a field that did not hold up (each is in `errors`). */
  imported_with_problems: number
  errors: Array<Required<ImportRowError>>
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

export type ImportBatch = {
  import_id: string
  seq: number
  items: ImportItem[]
  errors: ImportRowError[]
  /** When the Worker began the run this batch is part of: the import's start, if it is the first counted. */
  started_at?: string
}

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
    .map(readError)
  const partial = db.get<{ n: number }>(sql`select count(*) as n from client_import_errors
    where import_id = ${id} and json_valid(message) and json_extract(message, '$.imported') = 1`)
  return {
    import_id: row.id,
    status: row.status,
    total: row.total,
    done: row.done,
    failed: row.failed,
    created: row.created,
    imported_with_problems: partial?.n ?? 0,
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
    const failed = batch.errors.filter((e) => !e.imported).length
    countBatch(db, batch.import_id, { done: rows.length, failed, created, lost: 0 }, batch.started_at)
  }
  return { found: true, rows }
}

/** A run of batches (one queue batch's messages of an import), applied in order in the caller's one transaction. */
export function applyImportBatches(db: OrgDb, batches: ImportBatch[]): ImportBatchResult[] {
  return batches.map((batch) => applyImportBatch(db, batch))
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

/**
 * The table keeps one message per row and no more columns: a row's fields and whether it was
 * imported are kept as JSON in `message` (a row lost with its batch stays plain text).
 */
function recordErrors(db: OrgDb, importId: string, errors: ImportRowError[]): void {
  // Three bound parameters a row: 33 rows a statement stays under the 100-parameter limit.
  for (let i = 0; i < errors.length; i += 33) {
    const chunk = errors.slice(i, i + 33).map((e) => ({
      importId,
      row: e.row,
      message: e.fields
        ? JSON.stringify({ imported: e.imported === true, fields: e.fields, message: e.message })
        : e.message,
    }))
    db.insert(clientImportErrors).values(chunk).onConflictDoNothing().run()
  }
}

/** A stored row error as the import reports it. */
function readError(r: { row: number; message: string }): Required<ImportRowError> {
  if (r.message.startsWith('{')) {
    try {
      const e = JSON.parse(r.message) as { imported?: unknown; fields?: unknown; message?: unknown }
      if (typeof e.message === 'string')
        return {
          row: r.row,
          message: e.message,
          fields: Array.isArray(e.fields) ? e.fields.filter((f): f is string => typeof f === 'string') : [],
          imported: e.imported === true,
        }
    } catch {
      // Not ours: read it as text.
    }
  }
  return { row: r.row, message: r.message, fields: [], imported: false }
}

function countBatch(
  db: OrgDb,
  importId: string,
  n: { done: number; failed: number; created: number; lost: number },
  startedAt?: string,
): void {
  const at = new Date().toISOString()
  db.update(clientImports)
    .set({
      done: sql`${clientImports.done} + ${n.done}`,
      failed: sql`${clientImports.failed} + ${n.failed}`,
      created: sql`${clientImports.created} + ${n.created}`,
      batchesLost: sql`${clientImports.batchesLost} + ${n.lost}`,
      batchesDone: sql`${clientImports.batchesDone} + 1`,
      startedAt: sql`coalesce(${clientImports.startedAt}, ${startedAt ?? at})`,
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
