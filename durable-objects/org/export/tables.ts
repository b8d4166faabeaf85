/**
 * The tables of one business's export, in the order they are written and read back: each with its
 * name in the file, its drizzle table, the rows that belong in it, and what its columns point at
 * (so an import can check every reference against the file before writing anything).
 */
import { getTableColumns, getTableName } from 'drizzle-orm'
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core'
import * as schema from '../schema'

/** Where a column points: another exported table's key, or one of the special cases an import maps. */
export type Ref = { table: ExportTable; column: string } | 'person' | 'user' | 'users' | 'drop'

export type TableSpec = {
  table: SQLiteTable
  /** The SQL condition on the table's rows (alias `t`) that keeps only what the export holds. */
  where?: string
  /** Columns whose values are ids of rows elsewhere. */
  refs: Record<string, Ref>
  /** False: exported for the business to keep, not read back by an import (the sales pipeline). */
  imported: boolean
}

/** Every exported table's name in the file, parents before children. */
export const TABLE_NAMES = [
  'services',
  'client_cards',
  'clients',
  'client_addresses',
  'client_settings',
  'job_series',
  'jobs',
  'job_crew',
  'job_line_items',
  'invoices',
  'invoice_line_items',
  'payments',
  'reminders',
  'events',
  'journeys',
  'journey_steps',
  'enrollments',
  'messages',
  'enrollment_log',
  'tasks',
  'templates',
  'leads',
  'estimates',
  'estimate_line_items',
  'accounts',
  'account_contacts',
  'account_sites',
] as const

export type ExportTable = (typeof TABLE_NAMES)[number]

const key = (table: ExportTable, column = 'id'): Ref => ({ table, column })

export const TABLES: Record<ExportTable, TableSpec> = {
  services: { table: schema.services, refs: {}, imported: true },
  client_cards: {
    table: schema.contacts,
    where: 'exists (select 1 from org_clients c where c.person_id = t.person_id)',
    refs: { person_id: 'person' },
    imported: true,
  },
  clients: {
    table: schema.orgClients,
    refs: {
      person_id: 'person',
      default_address_id: key('client_addresses'),
      merged_into: key('clients'),
      account_id: 'drop',
    },
    imported: true,
  },
  client_addresses: { table: schema.addresses, refs: { org_client_id: key('clients') }, imported: true },
  client_settings: { table: schema.clientSettings, refs: { org_client_id: key('clients') }, imported: true },
  job_series: {
    table: schema.jobSeries,
    refs: {
      org_client_id: key('clients'),
      service_id: key('services'),
      address_id: key('client_addresses'),
      assigned_to: 'users',
    },
    imported: true,
  },
  jobs: {
    table: schema.jobs,
    refs: {
      org_client_id: key('clients'),
      service_id: key('services'),
      address_id: key('client_addresses'),
      series_id: key('job_series'),
      site_id: 'drop',
      estimate_id: 'drop',
    },
    imported: true,
  },
  job_crew: { table: schema.jobAssignees, refs: { job_id: key('jobs'), user_id: 'user' }, imported: true },
  job_line_items: {
    table: schema.jobLineItems,
    refs: { job_id: key('jobs'), service_id: key('services') },
    imported: true,
  },
  invoices: {
    table: schema.invoices,
    refs: { org_client_id: key('clients'), job_id: key('jobs'), account_id: 'drop' },
    imported: true,
  },
  invoice_line_items: {
    table: schema.invoiceLineItems,
    refs: { invoice_id: key('invoices'), service_id: key('services') },
    imported: true,
  },
  payments: {
    table: schema.payments,
    refs: { invoice_id: key('invoices'), org_client_id: key('clients') },
    imported: true,
  },
  reminders: {
    table: schema.reminders,
    refs: { org_client_id: key('clients'), job_id: key('jobs'), invoice_id: key('invoices') },
    imported: true,
  },
  events: { table: schema.events, refs: { org_client_id: key('clients') }, imported: true },
  journeys: { table: schema.journeys, refs: {}, imported: true },
  journey_steps: { table: schema.journeySteps, refs: { journey_id: key('journeys') }, imported: true },
  enrollments: {
    table: schema.enrollments,
    refs: {
      journey_id: key('journeys'),
      org_client_id: key('clients'),
      job_id: key('jobs'),
      invoice_id: key('invoices'),
      trigger_event_id: key('events'),
    },
    imported: true,
  },
  messages: {
    table: schema.messages,
    refs: {
      org_client_id: key('clients'),
      reminder_id: key('reminders'),
      enrollment_id: key('enrollments'),
      campaign_id: 'drop',
      review_request_id: 'drop',
    },
    imported: true,
  },
  enrollment_log: {
    table: schema.enrollmentLog,
    refs: { enrollment_id: key('enrollments'), message_id: key('messages') },
    imported: true,
  },
  tasks: { table: schema.tasks, refs: { org_client_id: key('clients'), job_id: key('jobs') }, imported: true },
  templates: { table: schema.templates, refs: {}, imported: true },
  leads: { table: schema.leads, refs: {}, imported: false },
  estimates: { table: schema.estimates, refs: {}, imported: false },
  estimate_line_items: { table: schema.estimateLineItems, refs: {}, imported: false },
  accounts: { table: schema.accounts, refs: {}, imported: false },
  account_contacts: { table: schema.accountContacts, refs: {}, imported: false },
  account_sites: { table: schema.accountSites, refs: {}, imported: false },
}

/** How a column's value is kept: text, a number, a boolean (0/1 in SQLite) or JSON text. */
export type ColumnKind = 'string' | 'number' | 'boolean' | 'json'

export type ColumnInfo = {
  name: string
  kind: ColumnKind
  notNull: boolean
  hasDefault: boolean
  /** Whether the column is the table's one-column primary key. */
  primary: boolean
  /** An integer column (a number column otherwise may hold a fraction). */
  integer: boolean
  enumValues: readonly string[] | null
}

const columnCache = new Map<ExportTable, ColumnInfo[]>()

/** The columns of an exported table by their SQL names, in the table's order: the CSV's header. */
export function columnsOf(name: ExportTable): ColumnInfo[] {
  const cached = columnCache.get(name)
  if (cached) return cached
  const columns = Object.values(getTableColumns(TABLES[name].table)).map((c) => ({
    name: c.name,
    kind: (['number', 'boolean', 'json'].includes(c.dataType) ? c.dataType : 'string') as ColumnKind,
    notNull: c.notNull,
    hasDefault: c.hasDefault,
    primary: c.primary,
    integer: c.columnType === 'SQLiteInteger',
    enumValues: c.enumValues && c.enumValues.length > 0 ? c.enumValues : null,
  }))
  columnCache.set(name, columns)
  return columns
}

/** The table's SQL name. */
export function sqlName(name: ExportTable): string {
  return getTableName(TABLES[name].table)
}

/** The column sets whose values must be unique among the table's rows: the primary key and unique indexes. */
export function uniqueKeysOf(name: ExportTable): string[][] {
  const config = getTableConfig(TABLES[name].table)
  const keys = config.primaryKeys.map((k) => k.columns.map((c) => c.name))
  for (const c of columnsOf(name)) if (c.primary) keys.push([c.name])
  for (const index of config.indexes) {
    if (!index.config.unique || index.config.where) continue
    keys.push(index.config.columns.map((c) => ('name' in c ? String(c.name) : '')))
  }
  return keys
}
