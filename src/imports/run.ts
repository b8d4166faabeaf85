/**
 * One batch of an import, as the `imports` queue consumer runs it: rows checked (a bad field is
 * left out and reported, the row kept), their people
 * linked in bulk (intake.ts), every client written in one ORG call, then the people linked to the organization.
 */
import type { ImportItem, ImportRowError } from '../../durable-objects/org/crm/imports'
import { cardInput, resolveCards } from '../clients/intake'
import { peopleDb } from '../db'
import type { Env } from '../env'
import { orgStub } from '../organizations'
import * as registry from '../people/registry'
import type { ImportRowsMessage } from '../queues/messages'
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

  const db = peopleDb(env.PEOPLE)
  const author = { source: 'import' as const, by: message.import_id }
  const withContact = valid.filter((v) => v.client.email !== undefined || v.client.phone !== undefined)
  const cards = await resolveCards(
    env,
    message.organization_id,
    withContact.map(({ client }) => client),
    author,
  )
  const cardOf = new Map(withContact.map((v, i) => [v.row, cards[i]!]))

  const items: ImportItem[] = valid.map(({ row, client }) => {
    const card = cardOf.get(row)
    return {
      row,
      contactless: card === undefined,
      person: card ?? cardInput(crypto.randomUUID(), client, author),
      status: client.status,
      tags: client.tags,
      notes: client.notes,
      address: client.address,
      external_id: client.external_id,
    }
  })

  const result = await orgStub(env, message.organization_id).importClients({
    import_id: message.import_id,
    seq: message.seq,
    items,
    errors,
  })
  if (!result.found) return

  // Linked after the object holds the clients, as intake.ts does, so a retry repairs a missing link.
  const namesOf = new Map(items.map((i) => [i.row, i.person]))
  const withoutContacts = result.rows
    .filter((r) => r.contactless)
    .map((r) => ({
      person_id: r.person_id,
      first_name: namesOf.get(r.row)?.first_name ?? null,
      last_name: namesOf.get(r.row)?.last_name ?? null,
    }))
  await registry.linkImportedPeople(
    db,
    message.organization_id,
    [...new Set(result.rows.map((r) => r.person_id))],
    withoutContacts,
  )
}
