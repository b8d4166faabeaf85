/** Staff pages of leads: the pipeline board and the list with filters (leads/board.tsx), a lead's pages (leads/lead.tsx), the pipeline's steps (leads/statuses.tsx). */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'
import { boardPages } from './leads/board'
import { leadPages } from './leads/lead'
import { statusPages } from './leads/statuses'

// The steps first, so /statuses is never read as a lead's id.
export const leadsPages = new Hono<AppEnv>()
  .route('/statuses', statusPages)
  .route('/', boardPages)
  .route('/', leadPages)
