/** The ORG object's campaigns: segments, previews, the confirm step and test send, scheduling, the start of a due campaign, cancelling. */
import { peopleDb } from '../../../src/db'
import { type RecordedConsent, recordedConsents } from '../../../src/people/consent'
import * as campaigns from './campaigns'
import * as confirm from './confirm'
import { campaignAsSent } from './message'
import * as segments from './segments'
import { allConsentTargets } from '../cards/cards'
import type { OrgHost } from '../host'
import { linksFor } from '../messaging/context'
import { attempt, type Result } from '../result'
import type * as schema from '../schema'

export type { CampaignSettings } from '../settings'

export type CampaignsHost = Pick<
  OrgHost,
  'db' | 'env' | 'write' | 'run' | 'clock' | 'tz' | 'profile' | 'senders' | 'outbox'
>

export class Campaigns {
  constructor(private readonly host: CampaignsHost) {}

  createCampaign(input: campaigns.NewCampaign): Promise<Result<campaigns.Campaign>> {
    return this.host.write(() => campaigns.createCampaign(this.host.db, input, this.host.clock.now()))
  }

  listCampaigns(): campaigns.Campaign[] {
    return campaigns.listCampaigns(this.host.db)
  }

  getCampaign(id: string): campaigns.Campaign | null {
    return campaigns.getCampaign(this.host.db, id)
  }

  /** How many clients a segment matches and how many a send on `channel` would reach now. */
  async previewCampaign(segment: schema.Segment, channel: segments.Channel): Promise<Result<segments.Preview>> {
    const checked = attempt(() => segments.checkSegment(this.host.db, segment))
    if (!checked.ok) return checked
    const recorded = await this.recordedConsents()
    const cap = this.host.profile()?.marketingCapPerDay ?? 1
    return attempt(() => {
      const members = segments.segmentMembers(this.host.db, segment, channel, this.host.tz(), recorded)
      return segments.previewCounts(this.host.db, members, channel, recorded, this.host.clock.now(), cap)
    })
  }

  /**
   * The confirm step of a draft or scheduled campaign: the count a send now reaches, by the rule
   * the send itself applies, and the message as its first recipient gets it; null when there is
   * no such campaign.
   */
  async confirmCampaign(id: string): Promise<Result<confirm.CampaignConfirm> | null> {
    const campaign = campaigns.getCampaign(this.host.db, id)
    if (!campaign) return null
    const audience = await this.audience(campaign)
    if (!audience.ok) return audience
    const { preview, receivers } = audience.value
    const first = receivers[0]
    const sample = first ? await this.sample(campaign, first.orgClientId) : null
    return { ok: true, value: { campaign, preview, sample } }
  }

  /**
   * Emails the message as the first recipient would get it to a staff member (`to`), and no one
   * else: purpose `campaign_test`, no client, not part of the campaign, not capped. Its links are
   * stand-ins, so a forwarded test cannot open a client's portal or unsubscribe them. Null when
   * there is no such campaign.
   */
  async sendTest(id: string, to: string): Promise<Result<{ message_id: string }> | null> {
    const campaign = campaigns.getCampaign(this.host.db, id)
    if (!campaign) return null
    const audience = await this.audience(campaign)
    if (!audience.ok) return audience
    const { emailFrom, baseUrl } = this.host.senders()
    const stand = { portal: `${baseUrl}/p/test-link`, unsubscribe: `${baseUrl}/u/test-link` }
    const first = audience.value.receivers[0]
    const businessName = this.host.profile()?.name ?? ''
    const now = this.host.clock.now()
    const written = await this.host.write(() => {
      const sample = first ? confirm.renderSample(this.host.db, campaign, first.orgClientId, businessName, stand) : null
      const fallback = campaignAsSent(
        campaign,
        { first_name: 'there', business_name: businessName, portal_link: stand.portal },
        stand.unsubscribe,
      )
      return confirm.queueTestSend(this.host.db, { campaign, sample, fallback, to, from: emailFrom }, now)
    })
    if (!written.ok) return written
    if (!written.value) throw new Error('campaigns: the test message was not written')
    await this.host.outbox.sends([written.value])
    return { ok: true, value: { message_id: written.value } }
  }

  /**
   * Fixes when a draft or scheduled campaign sends: at `sendAt`, or `now` when it is absent or
   * past. Says whether it is due at once (the caller then runs the due work).
   */
  async schedule(
    id: string,
    sendAt: string | null,
    now: Date,
  ): Promise<{ scheduled: Result<campaigns.Campaign>; dueNow: boolean }> {
    const at = sendAt && Date.parse(sendAt) > now.getTime() ? new Date(sendAt).toISOString() : now.toISOString()
    const scheduled = await this.host.write(() => campaigns.scheduleCampaign(this.host.db, id, at, now))
    return { scheduled, dueNow: scheduled.ok && at <= now.toISOString() }
  }

  cancelCampaign(id: string): Promise<Result<campaigns.Campaign>> {
    return this.host.write(() => campaigns.cancelCampaign(this.host.db, id, this.host.clock.now()))
  }

  listCampaignSends(
    id: string,
    query: { status?: campaigns.SendStatus; limit: number },
  ): campaigns.CampaignSendRow[] | null {
    return campaigns.listSends(this.host.db, id, query)
  }

  /** The due-work step: fixes the recipients of campaigns whose time has come (their segment may need consent from D1). */
  async startDue(now: Date): Promise<void> {
    const due = campaigns.dueToStart(this.host.db, now)
    if (due.length === 0) return
    const recorded = await this.recordedConsents()
    for (const c of due) {
      await this.host.run(() => {
        const members = segments.segmentMembers(this.host.db, c.segment, c.channel, this.host.tz(), recorded)
        campaigns.startSending(
          this.host.db,
          c.id,
          members.map((m) => m.orgClientId),
          now,
        )
      })
    }
  }

  /** Who a campaign's segment reaches now, by the rule its send applies. */
  private async audience(c: campaigns.Campaign) {
    const checked = attempt(() => segments.checkSegment(this.host.db, c.segment))
    if (!checked.ok) return checked
    const recorded = await this.recordedConsents()
    const cap = this.host.profile()?.marketingCapPerDay ?? 1
    return attempt(() => {
      const members = segments.segmentMembers(this.host.db, c.segment, c.channel, this.host.tz(), recorded)
      return segments.audienceOf(this.host.db, members, c.channel, recorded, this.host.clock.now(), cap)
    })
  }

  /** The first recipient's message with their real links, as the send will sign them. */
  private async sample(c: campaigns.Campaign, orgClientId: string): Promise<confirm.RenderedSample | null> {
    const p = this.host.profile()
    if (!p) return null
    const links = (await linksFor(this.host, p, [orgClientId]))[orgClientId]
    return confirm.renderSample(this.host.db, c, orgClientId, p.name, {
      portal: links?.portal ?? '',
      unsubscribe: links?.unsubscribe ?? null,
    })
  }

  /** This organization's clients' consent records (see consent.recordedConsents). */
  private async recordedConsents(): Promise<Record<string, RecordedConsent>> {
    const p = this.host.profile()
    return p ? recordedConsents(peopleDb(this.host.env.PEOPLE), p.organizationId, allConsentTargets(this.host.db)) : {}
  }
}
