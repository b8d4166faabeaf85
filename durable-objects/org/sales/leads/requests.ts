/** A homeowner's request from the business's public form (/book/{slug}): a `web_form` lead, and an email to each owner and admin. */
import { and, eq } from 'drizzle-orm'
import type { OrgDb } from '../../db'
import { queueStaffEmail } from '../../messaging/outgoing'
import { profile, services } from '../../schema'
import { createLead, type Lead, leadName } from './leads'

/** What the form sends, already checked and normalized by the Worker. */
export type FormRequest = {
  first_name: string
  last_name?: string
  email?: string
  phone?: string
  message?: string
  /** One of the business's active services, from the picker. */
  service_id?: string
}

/** Who hears about a new request: the business's owners and admins. */
export type StaffRecipient = { account_id: string; email: string }

export type RequestOptions = { from: string; appUrl: string }

/**
 * Creates the lead (the message as its notes, the picked service as its interest) and queues one
 * email per recipient. Returns the lead and the message ids to send.
 */
export function createRequestLead(
  db: OrgDb,
  input: FormRequest,
  recipients: StaffRecipient[],
  opts: RequestOptions,
  now: Date,
): { lead: Lead; sent: string[] } {
  const service = input.service_id
    ? db
        .select({ name: services.name })
        .from(services)
        .where(and(eq(services.id, input.service_id), eq(services.active, true)))
        .get()
    : undefined
  const lead = createLead(
    db,
    {
      first_name: input.first_name,
      last_name: input.last_name ?? null,
      email: input.email ?? null,
      phone: input.phone ?? null,
      source: 'web_form',
      service_interest: service?.name ?? null,
      notes: input.message ?? null,
    },
    now,
  )
  const { subject, body } = requestEmail(db, lead, opts.appUrl)
  const sent = recipients
    .map((r) =>
      queueStaffEmail(
        db,
        {
          to: r.email,
          from: opts.from,
          subject,
          body,
          purpose: 'lead_request',
          dedupeKey: `lead_request:${lead.id}:${r.account_id}`,
        },
        now,
      ),
    )
    .filter((id): id is string => id !== null)
  return { lead, sent }
}

/** The staff email: who asked, how to reach them, what they want, and the link to the lead. */
function requestEmail(db: OrgDb, lead: Lead, appUrl: string): { subject: string; body: string } {
  const business =
    db.select({ name: profile.name }).from(profile).where(eq(profile.id, 1)).get()?.name ?? 'your business'
  const name = leadName(lead)
  const lines = [
    `${name} asked ${business} for work through your request form.`,
    '',
    ...(lead.phone ? [`Phone: ${lead.phone}`] : []),
    ...(lead.email ? [`Email: ${lead.email}`] : []),
    ...(lead.service_interest ? [`Service: ${lead.service_interest}`] : []),
    '',
    'Their message:',
    lead.notes || '(no message)',
    '',
    `Open the lead: ${appUrl}/app/leads/${lead.id}`,
  ]
  return { subject: `New request from ${name}`, body: lines.join('\n') }
}
