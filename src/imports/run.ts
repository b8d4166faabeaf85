/**
 * Batches of an import, as the `imports` queue consumer runs them: a queue batch's messages of one
 * import together (a run), rows checked (a bad field is left out and reported, the row kept),
 * their people linked in bulk (people.ts), every client written in one ORG call, then the people
 * linked to the organization. A message that fails in a run is retried alone.
 */
import type { ImportBatch, ImportItem, ImportRowError } from '../../durable-objects/org/crm/imports'
import { cardInput } from '../clients/intake'
import { peopleDb } from '../db'
import type { Env } from '../env'
import { orgStub } from '../organizations'
import * as registry from '../people/registry'
import type { ImportRowsMessage } from '../queues/messages'
import { resolveImportPeople } from './people'
import { prepareRow, problemText, type ImportClient } from './rows'

/** Deliveries of a batch before its rows are given up as failed (wrangler.toml: max_retries = 5). */
export const IMPORT_MAX_ATTEMPTS = 5

const LOST_MESSAGE = 'Could not be saved because of an error on our side; import the file again to retry this row.'

/** Runs a batch; on its last delivery a failure is recorded against its rows instead of thrown. */
export async function runImportBatch(env: Env, message: ImportRowsMessage, attempts: number): Promise<void> {
  try {
    await importRows(env, message)
  } catch (error) {
    if (attempts < IMPORT_MAX_ATTEMPTS) throw error
    console.error('import: batch failed on its last delivery', message.import_id, message.seq, error)
    await orgStub(env, message.organization_id).loseImportBatch(
      message.import_id,
      message.seq,
      message.rows.map((r) => r.row),
      LOST_MESSAGE,
    )
  }
}

/** Imports a batch's rows; safe to run again for the same batch. */
export async function importRows(env: Env, message: ImportRowsMessage): Promise<void> {
  await importRun(env, [message])
}

/**
 * Imports a run of batches of one import, in seq order, as if each ran alone after the ones before
 * it: the registry read and written once for all their rows (people.ts), every client written in one
 * ORG call and one transaction (each batch counted once), the people linked to the organization in
 * one batch. Safe to run again, whole or batch by batch.
 */
export async function importRun(env: Env, messages: ImportRowsMessage[]): Promise<void> {
  if (messages.length === 0) return
  const startedAt = new Date().toISOString()
  const { organization_id: organizationId } = messages[0]!
  const prepared = messages.map(prepareBatch)
  const author = (m: ImportRowsMessage) => ({ source: 'import' as const, by: m.import_id })
  const db = peopleDb(env.PEOPLE)
  const resolved = await resolveImportPeople(
    db,
    organizationId,
    prepared.map((p) => p.withContact.map((v) => v.client)),
  )

  const batches: ImportBatch[] = messages.map((message, b) => {
    const { valid, withContact, errors } = prepared[b]!
    const cardOf = new Map(withContact.map((v, i) => [v.row, cardInput(resolved[b]![i]!, v.client, author(message))]))
    const items = valid.map(({ row, client }): ImportItem => {
      const card = cardOf.get(row)
      return {
        row,
        contactless: card === undefined,
        person: card ?? cardInput(crypto.randomUUID(), client, author(message)),
        status: client.status,
        tags: client.tags,
        notes: client.notes,
        address: client.address,
        external_id: client.external_id,
      }
    })
    return { import_id: message.import_id, seq: message.seq, items, errors, started_at: startedAt }
  })

  const results = await orgStub(env, organizationId).importClientBatches(batches)

  // Linked after the object holds the clients, as intake.ts does, so a retry repairs a missing link.
  const personIds = new Set<string>()
  const withoutContacts: Array<{ person_id: string; first_name: string | null; last_name: string | null }> = []
  results.forEach((result, b) => {
    if (!result.found) return
    const namesOf = new Map(batches[b]!.items.map((i) => [i.row, i.person]))
    for (const r of result.rows) {
      personIds.add(r.person_id)
      if (r.contactless)
        withoutContacts.push({
          person_id: r.person_id,
          first_name: namesOf.get(r.row)?.first_name ?? null,
          last_name: namesOf.get(r.row)?.last_name ?? null,
        })
    }
  })
  await registry.linkImportedPeople(db, organizationId, [...personIds], withoutContacts)
}

/** A batch's rows checked: a bad field is left out and reported, the row kept; a row with nothing usable is skipped. */
function prepareBatch(message: ImportRowsMessage) {
  const errors: ImportRowError[] = []
  const valid: Array<{ row: number; client: ImportClient }> = []
  for (const { row, fields } of message.rows) {
    const prepared = prepareRow(fields, message.country)
    const named = prepared.problems?.map((p) => p.field) ?? []
    if (!prepared.ok) errors.push({ row, message: prepared.message, fields: named, imported: false })
    else {
      valid.push({ row, client: prepared.client })
      // The row goes in without the fields that did not hold up; the import reports them against the row.
      if (prepared.problems)
        errors.push({ row, message: problemText(prepared.problems), fields: named, imported: true })
    }
  }
  const withContact = valid.filter((v) => v.client.email !== undefined || v.client.phone !== undefined)
  return { valid, withContact, errors }
}
