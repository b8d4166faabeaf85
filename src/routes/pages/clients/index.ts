/** /app/clients: the list and new-client form, a client's page, and its contact card and addresses edited in place. */
import { Hono } from 'hono'
import type { AppEnv } from '../../../env'
import { activityPages } from './activities'
import { addressPages } from './addresses'
import { callPages } from './calls'
import { clientPages } from './client'
import { contactPages } from './contact'
import { crmPages } from './crm'
import { listPages } from './list'

export { consentRoutes } from './consent'

// The card's routes first, then the list's, then the client page's: the order they always matched in.
export const clientsPages = new Hono<AppEnv>()
  .route('/', contactPages)
  .route('/', addressPages)
  .route('/', listPages)
  .route('/', clientPages)
  .route('/', activityPages)
  .route('/', crmPages)
  .route('/', callPages)
