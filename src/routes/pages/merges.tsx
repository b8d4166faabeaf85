/** Staff pages for duplicate cards: suggestions, the side-by-side merge preview, merge history with undo and the audit log. */
import { Hono } from 'hono'
import { unwrap } from '../../../durable-objects/org/result'
import type { AppEnv } from '../../env'
import { invalidInput } from '../../errors'
import { DuplicatesPage } from '../../../views/merges/duplicates'
import { MergesPage } from '../../../views/merges/history'
import { MergePreviewPage } from '../../../views/merges/preview'
import { mergeBody } from '../api/merges'
import { formBody, ID } from './forms'
import { mergesOf } from '../../clients/remote'

const mergePath = `/:id{${ID}}/merge`
const page = (title: string) => ({ title, active: 'clients' as const })
const chooseFrom = () =>
  invalidInput([{ path: 'from', message: 'choose the card to merge in' }], 'Choose the card to merge in.')

/** Mounted at /app/clients before the other client pages: the duplicates page, the merge preview and history. */
export const mergePages = new Hono<AppEnv>()
  .get('/duplicates', async (c) => {
    const { items, clients } = await mergesOf(c.get('org')).duplicateSuggestions()
    return c.render(<DuplicatesPage items={items} clients={clients} />, page('Possible duplicates'))
  })
  .get(mergePath, async (c) => {
    const from = c.req.query('from')
    if (!from) throw chooseFrom()
    const preview = unwrap(await mergesOf(c.get('org')).previewMerge(c.req.param('id'), from))
    return c.render(<MergePreviewPage preview={preview} />, page('Merge clients'))
  })
  .post(
    mergePath,
    formBody(mergeBody, () => {
      throw chooseFrom()
    }),
    async (c) => {
      const merged = unwrap(
        await mergesOf(c.get('org')).mergeClients(
          c.req.param('id'),
          c.req.valid('form').from_org_client_id,
          c.get('session')!.email,
        ),
      )
      return c.redirect(`/app/clients/${merged.org_client_id}`, 303)
    },
  )
  .get('/merges', async (c) => {
    const org = c.get('org')
    const [merges, audit] = await Promise.all([mergesOf(org).listMerges(), mergesOf(org).listAudit({ limit: 100 })])
    const notice = c.req.query('undone') ? 'The merge was undone: both cards are back as they were.' : undefined
    return c.render(<MergesPage merges={merges} audit={audit} notice={notice} />, page('Merge history'))
  })
  .post(`/merges/:merge{${ID}}/undo`, async (c) => {
    unwrap(await mergesOf(c.get('org')).undoMerge(c.req.param('merge'), c.get('session')!.email))
    return c.redirect('/app/clients/merges?undone=1', 303)
  })
