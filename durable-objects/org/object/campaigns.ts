/** The ORG object's campaigns: segments, previews, throttled sends, cancelling. */
import { eq } from 'drizzle-orm'
import { peopleDb } from '../../../src/db'
import { recordedConsents, type RecordedConsent } from '../../../src/people/consent'
import { allConsentTargets } from '../cards'
import * as campaigns from '../campaigns/campaigns'
import * as segments from '../campaigns/segments'
import { attempt, type Result } from '../result'
import * as schema from '../schema'
import type { DueCounts } from './base'
import { OrgReviews } from './reviews'

export type CampaignSettings = { campaign_batch_size: number; marketing_cap_per_day: number }

export class OrgCampaigns extends OrgReviews {
  async createCampaign(input: campaigns.NewCampaign): Promise<Result<campaigns.Campaign>> {
    return this.write(() => campaigns.createCampaign(this.db, input, new Date()))
  }

  async listCampaigns(): Promise<campaigns.Campaign[]> {
    return campaigns.listCampaigns(this.db)
  }

  async getCampaign(id: string): Promise<campaigns.Campaign | null> {
    return campaigns.getCampaign(this.db, id)
  }

  /** How many clients a segment matches and how many a send on `channel` would reach now. */
  async previewCampaign(segment: schema.Segment, channel: segments.Channel): Promise<Result<segments.Preview>> {
    const checked = attempt(() => segments.checkSegment(this.db, segment))
    if (!checked.ok) return checked
    const recorded = await this.recordedConsents()
    const cap = this.profileRow()?.marketingCapPerDay ?? 1
    return attempt(() => {
      const members = segments.segmentMembers(this.db, segment, channel, this.tz(), recorded)
      return segments.previewCounts(this.db, members, channel, recorded, new Date(), cap)
    })
  }

  /**
   * Sends a draft or scheduled campaign at `sendAt`, or now when it is absent or past: then the
   * recipients are fixed and the first batch is decided and queued at once.
   */
  async sendCampaign(id: string, sendAt: string | null): Promise<Result<campaigns.Campaign>> {
    const now = new Date()
    const at = sendAt && Date.parse(sendAt) > now.getTime() ? new Date(sendAt).toISOString() : now.toISOString()
    const scheduled = await this.change(() => campaigns.scheduleCampaign(this.db, id, at, now))
    if (!scheduled.ok || at > now.toISOString()) return scheduled
    await this.runDueWork(now)
    return { ok: true, value: campaigns.getCampaign(this.db, id)! }
  }

  async cancelCampaign(id: string): Promise<Result<campaigns.Campaign>> {
    return this.change(() => campaigns.cancelCampaign(this.db, id, new Date()))
  }

  async listCampaignSends(id: string, query: { status?: campaigns.SendStatus; limit: number }): Promise<campaigns.CampaignSendRow[] | null> {
    return campaigns.listSends(this.db, id, query)
  }

  async campaignSettings(): Promise<CampaignSettings> {
    const p = this.profileRow()
    return { campaign_batch_size: p?.campaignBatchSize ?? 200, marketing_cap_per_day: p?.marketingCapPerDay ?? 1 }
  }

  /** Sets how many recipients a run decides per campaign and the per-client marketing cap. */
  async setCampaignSettings(settings: Partial<CampaignSettings>): Promise<CampaignSettings> {
    this.db.update(schema.profile).set({
      ...(settings.campaign_batch_size !== undefined ? { campaignBatchSize: settings.campaign_batch_size } : {}),
      ...(settings.marketing_cap_per_day !== undefined ? { marketingCapPerDay: settings.marketing_cap_per_day } : {}),
      updatedAt: new Date().toISOString(),
    }).where(eq(schema.profile.id, 1)).run()
    return this.campaignSettings()
  }

  /** Fixes the recipients of campaigns whose time has come (their segment may need consent from D1), then runs due work. */
  override async decideDueWork(now = new Date()): Promise<DueCounts & { queued: string[] }> {
    const due = campaigns.dueToStart(this.db, now)
    if (due.length > 0) {
      const recorded = await this.recordedConsents()
      for (const c of due) {
        this.ctx.storage.transactionSync(() => {
          const members = segments.segmentMembers(this.db, c.segment, c.channel, this.tz(), recorded)
          campaigns.startSending(this.db, c.id, members.map((m) => m.orgClientId), now)
        })
      }
    }
    return super.decideDueWork(now)
  }

  /** This organization's clients' consent records (see consent.recordedConsents). */
  private async recordedConsents(): Promise<Record<string, RecordedConsent>> {
    const p = this.profileRow()
    return p ? recordedConsents(peopleDb(this.env.PEOPLE), p.organizationId, allConsentTargets(this.db)) : {}
  }
}
