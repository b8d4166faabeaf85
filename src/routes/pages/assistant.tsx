/** Staff pages of the assistant: every stored AI interaction, and briefs asked from a page. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'

export const assistantPages = new Hono<AppEnv>()
