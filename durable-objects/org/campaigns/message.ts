/**
 * A campaign's message for one client, in one place: the send (run.ts) renders it this way, and
 * the confirm step and the test send show it this way, opt-out line included, so what staff check
 * is what clients get.
 */
import { render } from '../../../src/messaging/templates'
import { withOptOut } from '../messaging/outgoing'
import type { Channel } from './segments'

/** What a campaign's text fills in for a client. */
export type CampaignVars = { first_name: string; business_name: string; portal_link: string; review_link?: string }

type Template = { channel: Channel; subject: string | null; body: string }

/** The subject and body with the client's values filled in (the engine adds the opt-out line when it writes the message). */
export function renderCampaign(campaign: Template, vars: CampaignVars): { subject: string | null; body: string } {
  return {
    subject: campaign.subject ? render(campaign.subject, vars) : null,
    body: render(campaign.body, vars),
  }
}

/** The message exactly as the client receives it: rendered, then the opt-out line a marketing message carries. */
export function campaignAsSent(
  campaign: Template,
  vars: CampaignVars,
  unsubscribeUrl: string | null,
): { subject: string | null; body: string } {
  const { subject, body } = renderCampaign(campaign, vars)
  return {
    subject: campaign.channel === 'email' ? (subject ?? '') : null,
    body: withOptOut({ transactional: false, channel: campaign.channel, body }, unsubscribeUrl),
  }
}
