/** The support tickets' request bodies and queries, shared by the staff API, the operator API and their pages. */
import { z } from 'zod'
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../people/schema'

export const SUBJECT_MAX = 200
export const BODY_MAX = 10_000

const subject = z
  .string()
  .trim()
  .min(1, 'Say in a few words what it is about.')
  .max(SUBJECT_MAX, `Keep the subject under ${SUBJECT_MAX} characters.`)
const body = z
  .string()
  .trim()
  .min(1, 'Write your message.')
  .max(BODY_MAX, `Keep it under ${BODY_MAX.toLocaleString('en-US')} characters.`)

/** POST /api/v1/support/tickets. */
export const newTicket = z.object({
  subject,
  body,
  priority: z.enum(TICKET_PRIORITIES).optional(),
})
export type NewTicket = z.output<typeof newTicket>

/** A reply of the business: POST /api/v1/support/tickets/{id}/replies. */
export const businessReply = z.object({ body })

/** PATCH /api/v1/support/tickets/{id}: a business may only close its ticket (a reply reopens it). */
export const businessPatch = z.object({ status: z.literal('closed') })

/** An operator's reply or internal note: POST /admin/api/tickets/{id}/replies. */
export const operatorReply = z.object({ body, internal: z.boolean().optional() })

/** PATCH /admin/api/tickets/{id}: the assignee is an operator's email or account id (null unassigns). */
export const ticketPatch = z
  .object({
    status: z.enum(TICKET_STATUSES).optional(),
    priority: z.enum(TICKET_PRIORITIES).optional(),
    assignee: z.string().trim().min(1).max(320).nullable().optional(),
  })
  .refine((p) => p.status !== undefined || p.priority !== undefined || p.assignee !== undefined, {
    message: 'Send status, priority or assignee.',
  })
export type TicketPatch = z.output<typeof ticketPatch>

/** GET /admin/api/tickets?status=&priority=. */
export const deskQuery = z.object({
  status: z.enum(TICKET_STATUSES).optional(),
  priority: z.enum(TICKET_PRIORITIES).optional(),
  organization_id: z.string().trim().min(1).max(100).optional(),
})
export type DeskQuery = z.output<typeof deskQuery>

/** GET /api/v1/support/tickets?status=. */
export const ticketsQuery = z.object({ status: z.enum(TICKET_STATUSES).optional() })
