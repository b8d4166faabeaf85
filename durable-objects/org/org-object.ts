/** The ORG Durable Object: one per organization, the only reader and writer of its private data. */
import { DurableObject } from 'cloudflare:workers'
import { drizzle } from 'drizzle-orm/durable-sqlite'
import { migrate } from 'drizzle-orm/durable-sqlite/migrator'
import migrations from '../../migrations/org/migrations.js'
import type { Env } from '../../src/env'
import type { PersonSnapshot } from '../../src/people/registry'
import * as clients from './clients'
import { applySnapshot } from './contacts'
import type { OrgDb } from './db'
import * as schema from './schema'

export type OrgProfile = { organization_id: string; name: string; country: string; timezone: string }

export class OrgObject extends DurableObject<Env> {
  private readonly db: OrgDb

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.db = drizzle(ctx.storage, { schema })
    void ctx.blockConcurrencyWhile(async () => {
      migrate(this.db, migrations)
    })
  }

  /** Records who this object belongs to; called at sign-up and when the organization changes. */
  async setProfile(p: OrgProfile): Promise<void> {
    const row = { id: 1, organizationId: p.organization_id, name: p.name, country: p.country, timezone: p.timezone, updatedAt: new Date().toISOString() }
    this.db.insert(schema.profile).values(row).onConflictDoUpdate({ target: schema.profile.id, set: row }).run()
  }

  /** Creates the client record for a person (or finds the existing one), in one transaction. */
  async createClient(input: clients.NewClient): Promise<clients.CreateClientResult> {
    return this.ctx.storage.transactionSync(() => clients.createClient(this.db, input))
  }

  async getClient(id: string): Promise<clients.ClientDetail | null> {
    return clients.getClient(this.db, id)
  }

  async listClients(query: clients.ListClientsQuery): Promise<{ items: clients.ClientRow[]; next_cursor: string | null }> {
    return clients.listClients(this.db, query)
  }

  async countClientsByStatus(): Promise<Record<clients.ClientStatus, number>> {
    return clients.countByStatus(this.db)
  }

  async clientIdForPerson(personId: string): Promise<string | null> {
    return clients.clientIdForPerson(this.db, personId)
  }

  /** Refreshes the cached contact fields of a person; an older version never overwrites a newer one. */
  async applyPersonSnapshot(snapshot: PersonSnapshot): Promise<boolean> {
    return applySnapshot(this.db, snapshot)
  }
}
