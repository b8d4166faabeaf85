/** Duplicate client cards of one business: suggestions, merge and undo, as JSON and as pages. */
import { Hono } from 'hono'
import type { AppEnv } from '../env'

/** Mounted at /api/v1/clients before the clients API, so `/duplicates` and `/{id}/merge` are found here. */
export const clientMergesApi = new Hono<AppEnv>()

/** /api/v1/merges */
export const mergesApi = new Hono<AppEnv>()

/** Mounted at /app/clients before the other pages: the duplicates page and the merge preview. */
export const mergePages = new Hono<AppEnv>()
