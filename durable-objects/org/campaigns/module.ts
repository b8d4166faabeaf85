/** The ORG object's campaigns: segments, previews, scheduling, the start of a due campaign, cancelling. */
import { peopleDb } from '../../../src/db'
import { type RecordedConsent, recordedConsents } from '../../../src/people/consent'
import * as campaigns from './campaigns'
import * as segments from './segments'
import { allConsentTargets } from '../cards/cards'
import type { OrgHost } from '../host'
import { attempt, type Result } from '../result'
import type * as schema from '../schema'

export type { CampaignSettings } from '../settings'

export type CampaignsHost = Pick<OrgHost, 'db' | 'env' | 'write' | 'run' | 'clock' | 'tz' | 'profile'>

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

  /** This organization's clients' consent records (see consent.recordedConsents). */
  private async recordedConsents(): Promise<Record<string, RecordedConsent>> {
    const p = this.host.profile()
    return p ? recordedConsents(peopleDb(this.host.env.PEOPLE), p.organizationId, allConsentTargets(this.host.db)) : {}
  }
}
