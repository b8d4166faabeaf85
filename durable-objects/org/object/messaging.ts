/** The ORG object's messaging: deliveries and their outcomes, the log, inbound texts, templates, settings. */
import { eq } from 'drizzle-orm'
import type { Keyword } from '../../../src/messaging/keywords'
import type { OutgoingMessage } from '../../../src/messaging/providers/types'
import type { Channel, Template, TemplateKey } from '../../../src/messaging/templates'
import { enqueueSends } from '../../../src/queues/sends'
import * as deliveries from '../deliveries'
import { recordEvent } from '../events'
import { recordInboundSms } from '../inbound'
import * as schema from '../schema'
import * as templates from '../templates'
import { OrgMerges } from './merges'

export class OrgMessaging extends OrgMerges {
  // Messaging

  async startDelivery(messageId: string, statusCallbackUrl?: string): Promise<OutgoingMessage | null> {
    const p = this.profileRow()
    return p ? deliveries.startDelivery(this.db, messageId, p.organizationId, statusCallbackUrl) : null
  }

  async deliverySucceeded(messageId: string, provider: string, providerMessageId: string): Promise<void> {
    this.ctx.storage.transactionSync(() => deliveries.deliverySucceeded(this.db, messageId, provider, providerMessageId))
  }

  async deliveryFailed(messageId: string, error: string, final: boolean): Promise<void> {
    deliveries.deliveryFailed(this.db, messageId, error, final)
  }

  /** The dead-letter page's "retry": a failed message goes back in line. */
  async retryMessage(messageId: string): Promise<boolean> {
    const p = this.profileRow()
    if (!p || !deliveries.requeueFailed(this.db, messageId)) return false
    await enqueueSends(this.env, p.organizationId, [messageId])
    return true
  }

  async applyProviderStatus(providerMessageId: string, status: string, errorCode?: string): Promise<boolean> {
    return deliveries.applyProviderStatus(this.db, providerMessageId, status, errorCode)
  }

  async listMessages(query: deliveries.MessagesQuery): Promise<deliveries.MessageRow[]> {
    return deliveries.listMessages(this.db, query)
  }

  async recordInboundSms(from: string, body: string, keyword: Keyword | null): Promise<string | null> {
    const orgClientId = this.ctx.storage.transactionSync(() => recordInboundSms(this.db, from, body, keyword))
    await this.syncSchedule()
    return orgClientId
  }

  /** Notes a consent change on the client's timeline (the choice itself lives in the registry). */
  async recordConsentChange(orgClientId: string, consent: { sms_opt_in: boolean; email_opt_in: boolean; marketing_email_opt_in?: boolean }, reason: string, by: string | null): Promise<void> {
    const data = { sms_opt_in: consent.sms_opt_in, email_opt_in: consent.email_opt_in, marketing_email_opt_in: consent.marketing_email_opt_in ?? true, reason, by }
    this.ctx.storage.transactionSync(() => recordEvent(this.db, 'consent_changed', orgClientId, data))
    await this.syncSchedule()
  }

  async listTemplates(): Promise<templates.TemplateRow[]> {
    return templates.listTemplates(this.db)
  }

  async saveTemplate(key: TemplateKey, channel: Channel, template: Template): Promise<templates.TemplateRow> {
    return templates.saveTemplate(this.db, key, channel, template)
  }

  /** Messaging settings: quiet hours and the organization's own SMS number. */
  async setMessagingSettings(settings: { quiet_hours?: { start: string; end: string }; sms_from?: string | null }): Promise<void> {
    this.db.update(schema.profile).set({
      ...(settings.quiet_hours ? { quietStart: settings.quiet_hours.start, quietEnd: settings.quiet_hours.end } : {}),
      ...(settings.sms_from !== undefined ? { smsFrom: settings.sms_from } : {}),
      updatedAt: new Date().toISOString(),
    }).where(eq(schema.profile.id, 1)).run()
  }

  async messagingSettings(): Promise<{ quiet_hours: { start: string; end: string }; sms_from: string | null; timezone: string } | null> {
    const p = this.profileRow()
    return p ? { quiet_hours: { start: p.quietStart, end: p.quietEnd }, sms_from: p.smsFrom, timezone: p.timezone } : null
  }
}
