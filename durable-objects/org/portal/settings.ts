/** How homeowners pay this business: its connected Stripe account, or written instructions. Written only by ../settings.ts. */
import { eq } from 'drizzle-orm'
import type { OrgDb } from '../db'
import type { PaymentSettings } from '../settings'
import { profile } from '../schema'

export type { PaymentSettings } from '../settings'

/** The business's payment settings (both null before they are set). */
export function paymentSettings(db: OrgDb): PaymentSettings {
  const p = db
    .select({ stripe: profile.stripeAccountId, instructions: profile.paymentInstructions })
    .from(profile)
    .where(eq(profile.id, 1))
    .get()
  return { stripe_account_id: p?.stripe ?? null, payment_instructions: p?.instructions ?? null }
}
