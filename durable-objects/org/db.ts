/** The drizzle handle type of an ORG object's own SQLite storage. */
import type { DrizzleSqliteDODatabase } from 'drizzle-orm/durable-sqlite'
import type * as schema from './schema'

export type OrgDb = DrizzleSqliteDODatabase<typeof schema>
