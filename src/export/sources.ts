/**
 * What an export holds, as a list of tables each read a page at a time: the ORG object's tables
 * (durable-objects/org/export/tables.ts) and the registry's consent records and team. The JSON
 * document and the zip of CSV files are two ways of writing the same list.
 */
import { columnsOf, TABLE_NAMES } from '../../durable-objects/org/export/tables'
import type { OrgObject } from '../../durable-objects/org/org-object'
import { peopleDb } from '../db'
import type { Env } from '../env'
import { CONSENT_COLUMNS, consentPages, TEAM_COLUMNS, teamRows } from './registry-rows'
import { port } from './remote'

export type Row = Record<string, unknown>

/** One table of the export: its name in the file, its columns, and its rows a page at a time. */
export type Source = { name: string; columns: readonly string[]; pages: () => AsyncGenerator<Row[]> }

/** Rows per page asked of the object: a few megabytes at most. */
const PAGE_ROWS = 500

/** Every table of one business's export, in the file's order. */
export function exportSources(env: Env, organizationId: string, org: DurableObjectStub<OrgObject>): Source[] {
  const db = peopleDb(env.PEOPLE)
  const remote = port(org)
  return [
    {
      name: 'team',
      columns: TEAM_COLUMNS,
      pages: async function* () {
        yield (await teamRows(db, organizationId)) as unknown as Row[]
      },
    },
    ...TABLE_NAMES.map(
      (name): Source => ({
        name,
        columns: columnsOf(name).map((c) => c.name),
        pages: async function* () {
          let after: number | null = 0
          while (after !== null) {
            const page = await remote.page(name, after, PAGE_ROWS)
            if (page.rows.length > 0) yield page.rows
            after = page.next
          }
        },
      }),
    ),
    { name: 'consents', columns: CONSENT_COLUMNS, pages: () => consentPages(db, organizationId) },
  ]
}
