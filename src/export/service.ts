/** A business's export as a download: one JSON document or a zip of CSV files, streamed page by page. */
import type { OrgObject } from '../../durable-objects/org/org-object'
import { clock } from '../clock'
import type { Env } from '../env'
import { showOrganization } from '../organizations'
import { jsonChunks, streamOf } from './json'
import { exportSources } from './sources'
import { zipChunks } from './zip'

export type ExportKind = 'json' | 'zip'

/** The download of everything the business holds, in the asked form. */
export async function exportResponse(
  env: Env,
  organizationId: string,
  org: DurableObjectStub<OrgObject>,
  kind: ExportKind,
): Promise<Response> {
  const organization = (await showOrganization(env, organizationId, org)) as Record<string, unknown>
  const sources = exportSources(env, organizationId, org)
  const now = clock.now().toISOString()
  const name = `homebase-export-${String(organization['slug'] ?? organizationId)}-${now.slice(0, 10)}.${kind}`
  const body = streamOf(kind === 'json' ? jsonChunks(organization, sources, now) : zipChunks(organization, sources))
  return new Response(body, {
    headers: {
      'content-type': kind === 'json' ? 'application/json; charset=utf-8' : 'application/zip',
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
    },
  })
}
