/** The ORG object's messaging: deliveries and their outcomes, the log, replies and conversations, consent notes, templates. */
import type { Keyword } from '../../../src/messaging/keywords'
import type { OutgoingMessage } from '../../../src/messaging/providers/types'
import type { Channel, Template, TemplateKey } from '../../../src/messaging/templates'
import * as deliveries from './deliveries'
import { recordEvent } from '../events'
import type { OrgHost } from '../host'
import * as conversations from './conversations'
import { emailReplyTarget, type InboundEmail, lastTextedAt, recordInboundEmail, recordInboundSms } from './inbound'
import { smsSentSince } from './plan-limit'
import { Leases, SendPace, type SmsPace } from './send-pace'
import * as templates from './templates'

export type MessagingHost = Pick<OrgHost, 'db' | 'run' | 'clock' | 'profile' | 'outbox'>

export type ConsentNote = { sms_opt_in: boolean; email_opt_in: boolean; marketing_email_opt_in?: boolean }

export class Messaging {
  private readonly pace = new SendPace()
  private readonly leases = new Leases()

  constructor(private readonly host: MessagingHost) {}

  /** A `sends` batch's messages of this organization, claimed at once; texts paced by `smsPace` (null: no limit). */
  async claimDeliveries(
    messageIds: string[],
    options: { statusCallbackUrl?: string; smsPace: SmsPace | null },
  ): Promise<deliveries.Claimed> {
    const p = this.host.profile()
    if (!p) return { send: [], later: [], nothing: messageIds }
    const { smsPace } = options
    const slotOf = smsPace
      ? (m: { id: string; from: string }) => this.pace.slot(smsPace, m.id, m.from, Date.now())
      : undefined
    const now = Date.now()
    // The lease is taken in the same synchronous step as the claim: no other claim runs in between.
    return this.host.run(() => {
      const claimed = deliveries.claimDeliveries(
        this.host.db,
        messageIds,
        p.organizationId,
        { statusCallbackUrl: options.statusCallbackUrl, slotOf, heldFor: (id) => this.leases.heldFor(id, now) },
        this.host.clock.now(),
      )
      this.leases.take(
        claimed.send.map((s) => s.message.id),
        now,
      )
      return claimed
    })
  }

  /** A `sends` batch's outcomes, in one transaction; their messages' leases end. */
  async recordDeliveries(outcomes: deliveries.DeliveryOutcome[]): Promise<void> {
    await this.host.run(() => deliveries.recordDeliveries(this.host.db, outcomes, this.host.clock.now()))
    this.leases.release(outcomes.map((o) => o.id))
  }

  /** The message to hand to a provider, counted as an attempt; null when it is not (or no longer) queued. */
  async startDelivery(messageId: string, statusCallbackUrl?: string): Promise<OutgoingMessage | null> {
    const p = this.host.profile()
    return p
      ? this.host.run(() => deliveries.startDelivery(this.host.db, messageId, p.organizationId, statusCallbackUrl))
      : null
  }

  deliverySucceeded(messageId: string, provider: string, providerMessageId: string): Promise<void> {
    return this.host.run(() =>
      deliveries.deliverySucceeded(this.host.db, messageId, provider, providerMessageId, this.host.clock.now()),
    )
  }

  deliveryFailed(messageId: string, error: string, final: boolean): Promise<void> {
    return this.host.run(() => deliveries.deliveryFailed(this.host.db, messageId, error, final, this.host.clock.now()))
  }

  /** The dead-letter page's "retry": a failed message goes back in line. */
  async retryMessage(messageId: string): Promise<boolean> {
    if (!this.host.profile() || !(await this.host.run(() => deliveries.requeueFailed(this.host.db, messageId))))
      return false
    await this.host.outbox.sends([messageId])
    return true
  }

  applyProviderStatus(providerMessageId: string, status: string, errorCode?: string): Promise<boolean> {
    return this.host.run(() => deliveries.applyProviderStatus(this.host.db, providerMessageId, status, errorCode))
  }

  listMessages(query: deliveries.MessagesQuery): deliveries.MessageRow[] {
    return deliveries.listMessages(this.host.db, query)
  }

  /** Files a text from a phone on its client's timeline; returns the client, if any. */
  recordInboundSms(from: string, body: string, keyword: Keyword | null): Promise<string | null> {
    return this.host.run(() => recordInboundSms(this.host.db, from, body, keyword, this.host.clock.now()))
  }

  /** When this business last texted the phone, or null (see inbound.ts). */
  lastTextedAt(phone: string): string | null {
    return lastTextedAt(this.host.db, phone)
  }

  /** Files an email reply on the client whose card holds the sender; null when none does. */
  recordInboundEmail(mail: InboundEmail): Promise<{ orgClientId: string; duplicate: boolean } | null> {
    return this.host.run(() => recordInboundEmail(this.host.db, mail, this.host.clock.now()))
  }

  emailReplyTarget(from: string, key: string): { orgClientId: string; seen: boolean } | null {
    return emailReplyTarget(this.host.db, from, key)
  }

  conversation(orgClientId: string): conversations.ConversationItem[] | null {
    return conversations.conversation(this.host.db, orgClientId)
  }

  /** The thread as staff open it, marked read. */
  openConversation(orgClientId: string): Promise<conversations.ConversationItem[] | null> {
    return this.host.run(() => conversations.openConversation(this.host.db, orgClientId, this.host.clock.now()))
  }

  inbox(query: { unread?: boolean; limit: number }): conversations.InboxItem[] {
    return conversations.inbox(this.host.db, query)
  }

  unreadConversations(): number {
    return conversations.unreadConversations(this.host.db)
  }

  markConversationRead(orgClientId: string): Promise<boolean> {
    return this.host.run(() => conversations.markRead(this.host.db, orgClientId, this.host.clock.now()))
  }

  /** Notes a consent change on the client's timeline (the choice itself lives in the registry). */
  async recordConsentChange(
    orgClientId: string,
    consent: ConsentNote,
    reason: string,
    by: string | null,
  ): Promise<void> {
    const data = {
      sms_opt_in: consent.sms_opt_in,
      email_opt_in: consent.email_opt_in,
      marketing_email_opt_in: consent.marketing_email_opt_in ?? true,
      reason,
      by,
    }
    await this.host.run(() =>
      recordEvent(this.host.db, 'consent_changed', orgClientId, data, this.host.clock.now().toISOString()),
    )
  }

  /** Texts the plan counts since `periodStart` (plan-limit.ts). */
  smsSentSince(periodStart: string): number {
    return smsSentSince(this.host.db, periodStart)
  }

  listTemplates(): templates.TemplateRow[] {
    return templates.listTemplates(this.host.db)
  }

  saveTemplate(key: TemplateKey, channel: Channel, template: Template): Promise<templates.TemplateRow> {
    return this.host.run(() => templates.saveTemplate(this.host.db, key, channel, template))
  }
}
