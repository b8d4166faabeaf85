/** The homeowner's estimate page /e/{token}: approve with a typed name, or decline with a reason. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'

export const estimatePages = new Hono<AppEnv>()
