/** Staff pages for duplicate cards: suggestions, the side-by-side merge preview, merge history with undo and the audit log. */
import { Hono } from 'hono'
import { unwrap } from '../../../durable-objects/org/result'
import type { AppEnv } from '../../env'
import { invalidInput } from '../../errors'
import { requireCsrfToken, requireSession } from '../../http/auth'
import { DuplicatesPage, MergePreviewPage, MergesPage } from '../../../views/merges'
import { formStrings, ID } from './forms'

const staff = [requireSession, requireCsrfToken] as const
const mergePath = `/:id{${ID}}/merge`

/**
 * Mounted at /app/clients before the other pages: the duplicates page, the merge preview and
 * history. Its middleware runs on these paths only, so every other /app/clients page passes through.
 */
export const mergePages = new Hono<AppEnv>()
  .use('/duplicates', ...staff)
  .use('/merges', ...staff)
  .use('/merges/*', ...staff)
  .use(mergePath, ...staff)
  .get('/duplicates', async (c) => {
    const { items, clients } = await c.get('org').duplicateSuggestions()
    return c.html(<DuplicatesPage session={c.get('session')!} items={items} clients={clients} />)
  })
  .get(mergePath, async (c) => {
    const from = c.req.query('from')
    if (!from) throw invalidInput([{ path: 'from', message: 'choose the card to merge in' }], 'Choose the card to merge in.')
    const preview = unwrap(await c.get('org').previewMerge(c.req.param('id'), from))
    return c.html(<MergePreviewPage session={c.get('session')!} preview={preview} />)
  })
  .post(mergePath, async (c) => {
    const from = (await formStrings(c))['from_org_client_id'] ?? ''
    const merged = unwrap(await c.get('org').mergeClients(c.req.param('id'), from, c.get('session')!.email))
    return c.redirect(`/app/clients/${merged.org_client_id}`, 303)
  })
  .get('/merges', async (c) => {
    const org = c.get('org')
    const [merges, audit] = await Promise.all([org.listMerges(), org.listAudit({ limit: 100 })])
    const notice = c.req.query('undone') ? 'The merge was undone: both cards are back as they were.' : undefined
    return c.html(<MergesPage session={c.get('session')!} merges={merges} audit={audit} notice={notice} />)
  })
  .post(`/merges/:merge{${ID}}/undo`, async (c) => {
    unwrap(await c.get('org').undoMerge(c.req.param('merge'), c.get('session')!.email))
    return c.redirect('/app/clients/merges?undone=1', 303)
  })
