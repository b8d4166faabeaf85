/**
 * The ORG Durable Object: one per organization, the only reader and writer of its private data.
 * Its RPC methods are layered by domain, each layer in `object/`: base (storage, profile, due
 * work) → crm → cards → merges → messaging → journeys → reviews → campaigns → connections → integrations → portal. Each method is one use case; writes
 * run in one storage transaction and expected failures come back as a `Result`.
 */
import type { OrgProfile } from './object/base'
import type { CampaignSettings } from './object/campaigns'
import { OrgPortal } from './object/portal'
import type { PaymentSettings } from './portal/settings'

export type { OrgProfile } from './object/base'

/** The settings the object keeps for `GET`/`PATCH /api/v1/organization`, in the API's names. */
export type OrgSettings = { quiet_hours: { start: string; end: string }; sms_from: string | null } & PaymentSettings & CampaignSettings

export type OrgSettingsPatch = Partial<Omit<OrgSettings, 'quiet_hours'>> & { quiet_hours?: { start: string; end: string } }

export class OrgObject extends OrgPortal {
  /** Every setting the organization API shows, read in one call. */
  async settings(): Promise<OrgSettings> {
    const messaging = await this.messagingSettings()
    return {
      quiet_hours: messaging?.quiet_hours ?? { start: '21:00', end: '08:00' }, sms_from: messaging?.sms_from ?? null,
      ...(await this.paymentSettings()), ...(await this.campaignSettings()),
    }
  }

  /** Applies one `PATCH /api/v1/organization` in one call: the profile's copy of the registry's fields, then the object's own settings. */
  async updateSettings(profile: OrgProfile, patch: OrgSettingsPatch): Promise<OrgSettings> {
    await this.setProfile(profile)
    await this.setMessagingSettings({ quiet_hours: patch.quiet_hours, ...(patch.sms_from !== undefined ? { sms_from: patch.sms_from } : {}) })
    await this.setPaymentSettings({ stripe_account_id: patch.stripe_account_id, payment_instructions: patch.payment_instructions })
    await this.setCampaignSettings({ marketing_cap_per_day: patch.marketing_cap_per_day, campaign_batch_size: patch.campaign_batch_size })
    return this.settings()
  }
}
