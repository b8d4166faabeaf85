/**
 * The organization's settings, each kept once, in the object's one `profile` row: quiet hours,
 * the SMS number, payment settings, campaign settings, the default tax rate and how invoices show
 * the business (address, wordmark, colour). All of them are read in one read and a patch is
 * written in one transaction; this is the only code that writes `profile`. The first-run
 * checklist is read here too, and whether the owner put it away (kept in the object's storage).
 *
 * The registry fields in the profile (organization id, name, country, timezone, phone, Google
 * review link, and the SMS number) are a replica of D1's `organizations` row, which owns them:
 * they are written only through this path, after D1 was written, because the object needs them
 * synchronously inside its transactions (due work, rating pages, the portal).
 */
import { DEFAULT_LEAD_TIMES, type LeadTimes, replanInvoiceReminders, replanJobReminders } from './crm/reminders'
import { eq } from 'drizzle-orm'
import type { OrgHost } from './host'
import { profile } from './schema'
import { type SetupChecklist, setupFacts } from './setup'

/** Who this object belongs to: the registry's fields it keeps a copy of. */
export type OrgProfile = {
  organization_id: string
  name: string
  country: string
  timezone: string
  google_review_url?: string | null
  phone?: string | null
}

export type QuietHours = { start: string; end: string }
export type MessagingSettings = {
  quiet_hours: QuietHours
  sms_from: string | null
  timezone: string
  reminders: LeadTimes
}
export type PaymentSettings = { stripe_account_id: string | null; payment_instructions: string | null }
export type CampaignSettings = { campaign_batch_size: number; marketing_cap_per_day: number }
export type BusinessAddress = NonNullable<typeof profile.$inferSelect.address>
/** How invoices and the portal show the business, and the tax it charges by default. */
export type BusinessSettings = {
  default_tax_rate: number | null
  address: BusinessAddress | null
  logo_text: string | null
  brand_color: string | null
}

/** The settings the object keeps for `GET`/`PATCH /api/v1/organization`, in the API's names. */
export type OrgSettings = { quiet_hours: QuietHours; sms_from: string | null; reminders: LeadTimes } & PaymentSettings &
  CampaignSettings &
  BusinessSettings

export type OrgSettingsPatch = Partial<Omit<OrgSettings, 'quiet_hours' | 'reminders' | 'address'>> & {
  quiet_hours?: QuietHours
  reminders?: Partial<LeadTimes>
  /** Without a country, the organization's. */
  address?: (Omit<BusinessAddress, 'country'> & { country?: string }) | null
}

/** Where the object's storage remembers that the owner put the first-run checklist away. */
const CHECKLIST_DISMISSED = 'setup_checklist_dismissed_at'

/**
 * The business's plan as the object enforces it (src/billing/limits.ts tells it whenever the plan
 * changes): texts per billing period, and the period's end while it comes from a subscription.
 */
export type PlanLimits = {
  plan_id: string
  plan_name: string
  sms_per_month: number
  team_size: number
  /** The subscription's current period end; null: the calendar month on the business's clock. */
  period_end: string | null
  /** The limits are held from then on (a business's free trial ends); absent or null: now. */
  applies_from?: string | null
}

/** Where the object's storage keeps the plan's limits (none until HomeBase told it: nothing is limited). */
const PLAN_LIMITS = 'plan_limits'

/** The plan's limits this object was last told, or null. */
export function readPlanLimits(kv: SyncKvStorage): PlanLimits | null {
  return kv.get<PlanLimits>(PLAN_LIMITS) ?? null
}

export type SettingsHost = Pick<OrgHost, 'db' | 'run' | 'clock' | 'profile' | 'forgetProfile'>

export class Settings {
  constructor(
    private readonly host: SettingsHost,
    private readonly kv: SyncKvStorage,
  ) {}

  /** Every setting, in one read (defaults before the profile exists). */
  read(): OrgSettings {
    const p = this.host.profile()
    return {
      quiet_hours: { start: p?.quietStart ?? '21:00', end: p?.quietEnd ?? '08:00' },
      sms_from: p?.smsFrom ?? null,
      stripe_account_id: p?.stripeAccountId ?? null,
      payment_instructions: p?.paymentInstructions ?? null,
      campaign_batch_size: p?.campaignBatchSize ?? 200,
      marketing_cap_per_day: p?.marketingCapPerDay ?? 1,
      reminders: {
        job_hours_before: p?.jobReminderHours ?? DEFAULT_LEAD_TIMES.job_hours_before,
        invoice_days_before: p?.invoiceReminderDays ?? DEFAULT_LEAD_TIMES.invoice_days_before,
      },
      default_tax_rate: p?.defaultTaxRate ?? null,
      address: p?.address ?? null,
      logo_text: p?.logoText ?? null,
      brand_color: p?.brandColor ?? null,
    }
  }

  /**
   * Writes the registry's replica (when given) and the patch in one transaction, then reads every
   * setting back. Fields left undefined are kept; null clears a nullable one. New lead times
   * re-plan the unsent reminders of visits still to come and open invoices in the same transaction.
   */
  async update(registry: OrgProfile | null, patch: OrgSettingsPatch): Promise<OrgSettings> {
    const { db, clock } = this.host
    const country = registry?.country ?? this.host.profile()?.country ?? 'US'
    const changes = { ...patchColumns(patch, country), updatedAt: clock.now().toISOString() }
    const before = this.read().reminders
    const replanJobs =
      changes.jobReminderHours !== undefined && `${changes.jobReminderHours}` !== `${before.job_hours_before}`
    const replanInvoices =
      changes.invoiceReminderDays !== undefined && `${changes.invoiceReminderDays}` !== `${before.invoice_days_before}`
    await this.host.run(() => {
      if (!registry) db.update(profile).set(changes).where(eq(profile.id, 1)).run()
      else {
        const row = { id: 1, ...registryColumns(registry), ...changes }
        db.insert(profile).values(row).onConflictDoUpdate({ target: profile.id, set: row }).run()
      }
      // Visits still to come and open invoices follow new lead times at once, in the same transaction.
      if (replanJobs) replanJobReminders(db, clock.now())
      if (replanInvoices) replanInvoiceReminders(db, this.host.profile()?.timezone ?? 'UTC', clock.now())
    })
    if (registry) this.host.forgetProfile()
    return this.read()
  }

  /** Records who this object belongs to; called at sign-up and when the registry's row changes. */
  async setProfile(registry: OrgProfile): Promise<void> {
    await this.update(registry, {})
  }

  /** Quiet hours only: the SMS number is a registry field, changed through `update` after D1 checked it is this business's. */
  async setMessaging(patch: Pick<OrgSettingsPatch, 'quiet_hours'>): Promise<void> {
    await this.update(null, patch)
  }

  async setPayment(patch: Partial<PaymentSettings>): Promise<PaymentSettings> {
    await this.update(null, patch)
    return this.payment()
  }

  /** Sets how many recipients a run decides per campaign and the per-client marketing cap. */
  async setCampaign(patch: Partial<CampaignSettings>): Promise<CampaignSettings> {
    await this.update(null, patch)
    return this.campaign()
  }

  /** Quiet hours, the SMS number, the time zone they are read in and the reminder lead times; null before the profile exists. */
  messaging(): MessagingSettings | null {
    const p = this.host.profile()
    if (!p) return null
    const { reminders } = this.read()
    return {
      quiet_hours: { start: p.quietStart, end: p.quietEnd },
      sms_from: p.smsFrom,
      timezone: p.timezone,
      reminders,
    }
  }

  payment(): PaymentSettings {
    const { stripe_account_id, payment_instructions } = this.read()
    return { stripe_account_id, payment_instructions }
  }

  campaign(): CampaignSettings {
    const { campaign_batch_size, marketing_cap_per_day } = this.read()
    return { campaign_batch_size, marketing_cap_per_day }
  }

  /** The first-run checklist: each step done or not, from the profile and the business's data. */
  checklist(): SetupChecklist {
    const p = this.host.profile()
    const facts = setupFacts(this.host.db)
    const steps = {
      services: facts.services,
      payments: !!(p?.stripeAccountId || p?.paymentInstructions),
      review_link: !!p?.googleReviewUrl,
      phone: !!p?.phone,
      clients: facts.clients,
      first_job: facts.first_job,
    }
    const dismissed = this.kv.get<string>(CHECKLIST_DISMISSED) ?? null
    return { steps, done: Object.values(steps).filter(Boolean).length, dismissed_at: dismissed }
  }

  /** Keeps the plan's limits; the next message decided counts against them. */
  setPlanLimits(limits: PlanLimits): void {
    this.kv.put(PLAN_LIMITS, limits)
  }

  /** Puts the checklist away for good (the first time counts); returns it. */
  dismissChecklist(): SetupChecklist {
    if (this.kv.get(CHECKLIST_DISMISSED) === undefined)
      this.kv.put(CHECKLIST_DISMISSED, this.host.clock.now().toISOString())
    return this.checklist()
  }
}

function registryColumns(p: OrgProfile) {
  return {
    organizationId: p.organization_id,
    name: p.name,
    country: p.country,
    timezone: p.timezone,
    ...(p.google_review_url !== undefined ? { googleReviewUrl: p.google_review_url } : {}),
    ...(p.phone !== undefined ? { phone: p.phone } : {}),
  }
}

function patchColumns(patch: OrgSettingsPatch, country: string) {
  return {
    ...(patch.default_tax_rate !== undefined ? { defaultTaxRate: patch.default_tax_rate } : {}),
    ...(patch.address !== undefined
      ? { address: patch.address && { ...patch.address, country: patch.address.country ?? country } }
      : {}),
    ...(patch.logo_text !== undefined ? { logoText: patch.logo_text } : {}),
    ...(patch.brand_color !== undefined ? { brandColor: patch.brand_color } : {}),
    ...(patch.quiet_hours ? { quietStart: patch.quiet_hours.start, quietEnd: patch.quiet_hours.end } : {}),
    ...(patch.sms_from !== undefined ? { smsFrom: patch.sms_from } : {}),
    ...(patch.stripe_account_id !== undefined ? { stripeAccountId: patch.stripe_account_id } : {}),
    ...(patch.payment_instructions !== undefined ? { paymentInstructions: patch.payment_instructions } : {}),
    ...(patch.campaign_batch_size !== undefined ? { campaignBatchSize: patch.campaign_batch_size } : {}),
    ...(patch.marketing_cap_per_day !== undefined ? { marketingCapPerDay: patch.marketing_cap_per_day } : {}),
    // Lead times are kept longest first, so reminders are listed in the order they go out.
    ...(patch.reminders?.job_hours_before ? { jobReminderHours: descending(patch.reminders.job_hours_before) } : {}),
    ...(patch.reminders?.invoice_days_before
      ? { invoiceReminderDays: descending(patch.reminders.invoice_days_before) }
      : {}),
  }
}

const descending = (values: number[]) => [...new Set(values)].sort((a, b) => b - a)
