/** The ORG object's client links (client-links.ts) as use cases: list, link, unlink, the client's sync log and "sync now". */
import { and, eq } from 'drizzle-orm'
import type { OrgHost } from '../host'
import { attempt, type Result } from '../result'
import { externalMappings } from '../schema'
import { type ClientLink, clientLinks, clientSyncLog, linkClient, pendingTexts, unlinkClient } from './client-links'
import { connectionRow } from './connections'
import type { Connections } from './connections-module'
import { CRM_PROVIDERS, type PushNote } from './push-targets'
import { recordSync, type SyncRow } from './sync-log'

export type ClientLinksHost = Pick<OrgHost, 'db' | 'write' | 'clock'>

/** The client links' use cases for the API and the client page. */
export class ClientLinks {
  constructor(
    private readonly host: ClientLinksHost,
    private readonly connections: Pick<Connections, 'accessToken'>,
  ) {}

  links(orgClientId: string): Result<ClientLink[]> {
    return attempt(() => clientLinks(this.host.db, orgClientId))
  }

  link(orgClientId: string, link: { connection_id: string; external_id: string }): Promise<Result<ClientLink>> {
    return this.host.write(() => linkClient(this.host.db, orgClientId, link, this.host.clock.now()))
  }

  unlink(orgClientId: string, connectionId: string): Promise<Result<null>> {
    return this.host.write(() => {
      unlinkClient(this.host.db, orgClientId, connectionId, this.host.clock.now())
      return null
    })
  }

  syncLog(orgClientId: string, limit: number): SyncRow[] {
    return clientSyncLog(this.host.db, orgClientId, limit)
  }

  /**
   * "Sync now": the client's recent texts not yet on the customer, for each linked CRM with a
   * usable token (or the one connection asked for). 409 `not_linked` without a link,
   * `not_connected` when no linked connection has a usable token.
   */
  async syncNow(orgClientId: string, connectionId?: string): Promise<Result<{ pushes: PushNote[] }>> {
    const listed = this.links(orgClientId)
    if (!listed.ok) return listed
    const links = listed.value.filter(
      (l) =>
        (CRM_PROVIDERS as readonly string[]).includes(l.provider) &&
        (connectionId === undefined || l.connection_id === connectionId),
    )
    if (links.length === 0)
      return connectionId !== undefined && !connectionRow(this.host.db, connectionId)
        ? { ok: false, error: { status: 404, code: 'not_found', message: 'No such integration.' } }
        : {
            ok: false,
            error: { status: 409, code: 'not_linked', message: 'This client is not linked to a CRM customer.' },
          }
    const usable: ClientLink[] = []
    for (const l of links) if (await this.connections.accessToken(l.connection_id)) usable.push(l)
    if (usable.length === 0)
      return {
        ok: false,
        error: { status: 409, code: 'not_connected', message: 'This connection has no usable token: reconnect it.' },
      }
    const now = this.host.clock.now()
    return this.host.write(() => {
      const pushes = usable.flatMap((l) => pendingTexts(this.host.db, l, orgClientId, now))
      for (const l of usable) {
        const queued = pushes.filter((p) => p.connection_id === l.connection_id).length
        recordSync(
          this.host.db,
          {
            connectionId: l.connection_id,
            provider: l.provider,
            direction: 'outbound',
            step: 'sync',
            status: 'ok',
            externalId: l.external_id,
            orgClientId,
            detail: `sync now: ${queued === 0 ? 'nothing new to push' : `${queued} text${queued === 1 ? '' : 's'} queued`}`,
          },
          now.toISOString(),
        )
        if (queued === 0)
          this.host.db
            .update(externalMappings)
            .set({ lastSyncedAt: now.toISOString() })
            .where(
              and(
                eq(externalMappings.connectionId, l.connection_id),
                eq(externalMappings.entity, 'client'),
                eq(externalMappings.localId, orgClientId),
              ),
            )
            .run()
      }
      return { pushes }
    })
  }
}
