/**
 * Invoices that go out: sending one to the client with its pay link (SMS, else email), and a
 * receipt for every payment that succeeds (SMS, else email, once per payment). Both are
 * transactional and consent-checked through the portal's requested messages; a send that cannot go
 * says why, and a receipt that cannot go never undoes the payment.
 */
import { eq } from 'drizzle-orm'
import { conflict, notFound } from '../../../src/errors'
import { formatMoney } from '../../../src/messaging/templates'
import { LINK_DAYS, portalLink, signingKeys } from '../../../src/portal/links'
import type { OrgHost } from '../host'
import type { Portal } from '../portal/module'
import { attempt, type Result } from '../result'
import { invoices, payments } from '../schema'
import { invoiceMoney } from './invoice-lines'
import { invoiceWithPayments, type InvoiceWithLines, updateInvoice } from './invoices'
import type { Crm } from './module'
import type { NewPayment, RecordedPayment } from './payments'

export type InvoiceChannel = 'sms' | 'email'

/** A sent invoice: its message, the channel it went by, and when it waits out quiet hours. */
export type SentInvoice = { message_id: string; channel: InvoiceChannel; deferred_until?: string }

/** Why an invoice could not go, in words for the person who pressed Send. */
const WHY: Record<InvoiceChannel, Record<string, string>> = {
  sms: {
    opted_out: 'The client has opted out of texts.',
    no_phone: 'The client has no mobile number on file.',
    plan_limit: "Over the plan's texts for this month: an owner can upgrade on the Billing page.",
  },
  email: {
    opted_out: 'The client has opted out of emails.',
    no_email: 'The client has no email address on file.',
  },
}

const dueDay = (date: string) =>
  new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric' }).format(
    new Date(`${date}T00:00:00Z`),
  )

/** "2 × Window cleaning: $40.00", one line of an emailed invoice. */
const lineText = (l: InvoiceWithLines['line_items'][number]) =>
  `${l.quantity === 1 ? '' : `${l.quantity} × `}${l.description}: ${formatMoney(invoiceMoney([l], 0).subtotal_cents)}`

/** The texts of an invoice sent with `link`: a short SMS, and an email with its lines and totals. */
export function invoiceTexts(business: string, first: string | null, inv: InvoiceWithLines, link: string) {
  const due = `${inv.overdue ? 'was due' : 'is due'} ${dueDay(inv.due_date)}`
  const sms = `${business}: invoice #${inv.number} for ${formatMoney(inv.balance_cents)} ${due}. View and pay: ${link}`
  const totals =
    inv.subtotal_cents === null
      ? []
      : [
          '',
          ...inv.line_items.map(lineText),
          '',
          `Subtotal: ${formatMoney(inv.subtotal_cents)}`,
          `Tax (${inv.tax_rate ?? 0}%): ${formatMoney(inv.tax_cents)}`,
        ]
  const email = [
    `Hi ${first ?? 'there'},`,
    '',
    `Here is invoice #${inv.number} from ${business}.`,
    ...totals,
    `Total: ${formatMoney(inv.total_cents)}`,
    ...(inv.paid_cents > 0 ? [`Paid: ${formatMoney(inv.paid_cents)}`] : []),
    `To pay: ${formatMoney(inv.balance_cents)}, ${due}.`,
    '',
    `View and pay it here: ${link}`,
    '',
    'Thank you!',
    business,
  ].join('\n')
  return { sms, email, subject: `Invoice #${inv.number} from ${business}: ${formatMoney(inv.balance_cents)}` }
}

/** The receipt for a payment: one text, for SMS or email. */
export function receiptText(business: string, amountCents: number, inv: { number: number; balance_cents: number }) {
  const rest = inv.balance_cents > 0 ? ` ${formatMoney(inv.balance_cents)} is left to pay.` : ' It is paid in full.'
  return `${business}: thank you! We received your payment of ${formatMoney(amountCents)} for invoice #${inv.number}.${rest}`
}

export type InvoiceMessagesHost = Pick<OrgHost, 'db' | 'env' | 'write' | 'clock' | 'profile' | 'senders' | 'tz'>

export class InvoiceMessages {
  constructor(
    private readonly host: InvoiceMessagesHost,
    private readonly crm: Pick<Crm, 'recordPayment' | 'updatePayment'>,
    private readonly portal: Pick<Portal, 'sendRequestedMessage' | 'portalContact'>,
  ) {}

  /**
   * Sends the invoice to its client with a pay link: by `channel`, else SMS when the client can be
   * texted and email otherwise; quiet hours wait. A draft opens; `sent_at` is set. Every call is a
   * new message (sending again is allowed); a replayed API request is answered by its idempotency key.
   */
  async sendInvoice(id: string, channel?: InvoiceChannel): Promise<Result<SentInvoice>> {
    const checked = attempt(() => this.sendable(id))
    if (!checked.ok) return checked
    const { p, inv, keys } = checked.value
    const claims = { o: p.organizationId, c: inv.org_client_id, p: 'pay' as const, r: inv.id }
    const link = await portalLink(keys, this.host.senders(p).baseUrl, claims, LINK_DAYS)
    const contact = this.portal.portalContact(inv.org_client_id)
    const texts = invoiceTexts(p.name, contact?.first_name ?? null, inv, link)
    const dedupeKey = `invoice:${inv.id}:${crypto.randomUUID()}`
    const skipped: string[] = []
    for (const ch of channel ? [channel] : (['sms', 'email'] as const)) {
      const sent = await this.portal.sendRequestedMessage(
        inv.org_client_id,
        {
          channel: ch,
          subject: texts.subject,
          body: ch === 'sms' ? texts.sms : texts.email,
          purpose: 'invoice',
          dedupeKey,
          quiet: true,
        },
        true,
      )
      if ('skipped' in sent) {
        skipped.push(WHY[ch][sent.skipped] ?? sent.skipped)
        continue
      }
      const opened = await this.host.write(() => {
        const now = this.host.clock.now()
        if (inv.status === 'draft') updateInvoice(this.host.db, id, { status: 'open' }, this.host.tz(), now)
        this.host.db.update(invoices).set({ sentAt: now.toISOString() }).where(eq(invoices.id, id)).run()
      })
      if (!opened.ok) return opened
      return {
        ok: true,
        value: {
          message_id: sent.id,
          channel: ch,
          ...(sent.deferred_until ? { deferred_until: sent.deferred_until } : {}),
        },
      }
    }
    return { ok: false, error: { status: 409, code: 'not_sent', message: `Not sent. ${skipped.join(' ')}` } }
  }

  /** The business, the invoice and the link keys of an invoice that may be sent; else the 404 or 409 why not. */
  private sendable(id: string) {
    const p = this.host.profile()
    const inv = invoiceWithPayments(this.host.db, id, this.host.tz(), this.host.clock.now())?.invoice
    if (!p || !inv) throw notFound('invoice')
    if (inv.status === 'paid' || inv.status === 'void') throw conflict(`A ${inv.status} invoice is not sent.`)
    const keys = signingKeys(this.host.env)
    if (!keys) throw conflict('Pay links are not configured (PORTAL_SIGNING_KEY).')
    return { p, inv, keys }
  }

  /** Records a payment; a succeeded one sends its receipt. */
  async recordPayment(invoiceId: string, input: NewPayment): Promise<Result<RecordedPayment>> {
    const recorded = await this.crm.recordPayment(invoiceId, input)
    if (recorded.ok && !recorded.value.duplicate && recorded.value.payment.status === 'succeeded')
      await this.sendReceipt(recorded.value.payment.id, true)
    return recorded
  }

  /** Marks a payment succeeded (which sends its receipt) or refunded (which sends none). */
  async updatePayment(id: string, status: 'succeeded' | 'refunded'): ReturnType<Crm['updatePayment']> {
    const updated = await this.crm.updatePayment(id, status)
    if (updated.ok && status === 'succeeded') await this.sendReceipt(id, true)
    return updated
  }

  /**
   * The receipt of a succeeded payment, to the client by text else email, once per payment (a
   * second call finds it sent). `quiet` waits out quiet hours: staff recorded it, the client is not
   * at a checkout waiting. A receipt that cannot go is logged, never thrown: the payment stands.
   */
  async sendReceipt(paymentId: string, quiet: boolean): Promise<{ message_id: string } | { skipped: string }> {
    const p = this.host.profile()
    const pay = this.host.db.select().from(payments).where(eq(payments.id, paymentId)).get()
    const inv = pay && invoiceWithPayments(this.host.db, pay.invoiceId, this.host.tz(), this.host.clock.now())?.invoice
    if (!p || !pay || !inv || pay.status !== 'succeeded') return { skipped: 'not_succeeded' }
    try {
      const sent = await this.portal.sendRequestedMessage(
        pay.orgClientId,
        {
          channel: 'sms_else_email',
          subject: `Receipt from ${p.name}: ${formatMoney(pay.amountCents)} for invoice #${inv.number}`,
          body: receiptText(p.name, pay.amountCents, inv),
          purpose: 'receipt',
          dedupeKey: `receipt:${paymentId}`,
          quiet,
        },
        true,
      )
      return 'id' in sent ? { message_id: sent.id } : sent
    } catch (error) {
      console.error('invoices: could not send the receipt of payment', paymentId, error)
      return { skipped: 'error' }
    }
  }
}
