/** Staff pages of leads: the pipeline board and the list with filters (leads/board.tsx), a lead's pages (leads/lead.tsx). */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'
import { boardPages } from './leads/board'
import { leadPages } from './leads/lead'

export const leadsPages = new Hono<AppEnv>().route('/', boardPages).route('/', leadPages)
