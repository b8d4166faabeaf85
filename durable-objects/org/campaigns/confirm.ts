/**
 * What staff check before a campaign goes: the exact count the send would reach now and the
 * message as its first recipient gets it; and the test send, that message emailed to the staff
 * member alone (never a client, never counted in the campaign, never capped).
 */
import { eq } from 'drizzle-orm'
import type { OrgDb } from '../db'
import { queueStaffEmail } from '../messaging/outgoing'
import { contacts, orgClients } from '../schema'
import type { Campaign } from './campaigns'
import { campaignAsSent, type CampaignVars } from './message'
import type { Preview } from './segments'

/** The message as one client gets it: who, where it goes, and its subject and body with the opt-out line. */
export type RenderedSample = {
  org_client_id: string
  name: string
  to: string | null
  subject: string | null
  body: string
}

/** The confirm step: the campaign, the count a send now reaches (the same rule the send uses) and the first recipient's message. */
export type CampaignConfirm = { campaign: Campaign; preview: Preview; sample: RenderedSample | null }

/** A client's links as the sample shows them. */
export type SampleLinks = { portal: string; unsubscribe: string | null }

/** A client's name and contact points for the sample; null when the card is gone. */
export function sampleClient(db: OrgDb, orgClientId: string) {
  return (
    db
      .select({
        first: contacts.firstName,
        last: contacts.lastName,
        email: contacts.primaryEmail,
        phone: contacts.primaryPhoneE164,
      })
      .from(orgClients)
      .innerJoin(contacts, eq(contacts.personId, orgClients.personId))
      .where(eq(orgClients.id, orgClientId))
      .get() ?? null
  )
}

/** The first recipient's message as sent: their first name, the business, their links and the opt-out line. */
export function renderSample(
  db: OrgDb,
  campaign: Campaign,
  orgClientId: string,
  businessName: string,
  links: SampleLinks,
): RenderedSample | null {
  const client = sampleClient(db, orgClientId)
  if (!client) return null
  const vars: CampaignVars = {
    first_name: client.first ?? 'there',
    business_name: businessName,
    portal_link: links.portal,
  }
  const sent = campaignAsSent(campaign, vars, campaign.channel === 'email' ? links.unsubscribe : null)
  return {
    org_client_id: orgClientId,
    name: [client.first, client.last].filter(Boolean).join(' ') || (client.email ?? client.phone ?? 'Unnamed client'),
    to: campaign.channel === 'sms' ? client.phone : client.email,
    ...sent,
  }
}

/**
 * Queues the test: the sample's subject and body (or, with nobody to receive it, the message
 * rendered for "there") to the staff member's email, transactional so no cap or consent applies,
 * with no client and no campaign on the row. Returns the message id.
 */
export function queueTestSend(
  db: OrgDb,
  input: {
    campaign: Campaign
    sample: RenderedSample | null
    fallback: { subject: string | null; body: string }
    to: string
    from: string
  },
  now: Date,
): string | null {
  const { campaign, sample } = input
  const shown = sample ?? input.fallback
  const what = campaign.channel === 'sms' ? `Text message "${campaign.name}"` : (shown.subject ?? campaign.name)
  const lead = sample ? `As ${sample.name} will get it` : 'Nobody would receive it now'
  return queueStaffEmail(
    db,
    {
      to: input.to,
      from: input.from,
      subject: `[Test] ${what}`,
      body: `${lead} (the links in a test open nothing):\n\n${shown.body}`,
      purpose: 'campaign_test',
      dedupeKey: `campaign_test:${campaign.id}:${crypto.randomUUID()}`,
    },
    now,
  )
}
