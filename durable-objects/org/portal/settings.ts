/** How homeowners pay this business: its connected Stripe account, or written instructions. */
import { eq } from 'drizzle-orm'
import type { OrgDb } from '../db'
import { profile } from '../schema'

export type PaymentSettings = { stripe_account_id: string | null; payment_instructions: string | null }

/** The business's payment settings (both null before they are set). */
export function paymentSettings(db: OrgDb): PaymentSettings {
  const p = db.select({ stripe: profile.stripeAccountId, instructions: profile.paymentInstructions }).from(profile).where(eq(profile.id, 1)).get()
  return { stripe_account_id: p?.stripe ?? null, payment_instructions: p?.instructions ?? null }
}

/** Changes the fields given; null clears one. */
export function setPaymentSettings(db: OrgDb, patch: Partial<PaymentSettings>): PaymentSettings {
  db.update(profile).set({
    ...(patch.stripe_account_id !== undefined ? { stripeAccountId: patch.stripe_account_id } : {}),
    ...(patch.payment_instructions !== undefined ? { paymentInstructions: patch.payment_instructions } : {}),
    updatedAt: new Date().toISOString(),
  }).where(eq(profile.id, 1)).run()
  return paymentSettings(db)
}
