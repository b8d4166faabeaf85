/**
 * One invoice as a page or a printout shows it, in one read: the invoice with its lines and
 * payments, the client it is billed to, and the business that bills it (name, address, wordmark,
 * colour, how it is paid). Also the lines a homeowner sees of their own sent invoice in the portal.
 */
import { and, eq, inArray } from 'drizzle-orm'
import type { OrgDb } from '../db'
import { oneLine } from '../cards/addresses'
import { taxRateFor } from './invoice-lines'
import { invoiceWithPayments, type InvoiceWithLines, type PaymentRow } from './invoices'
import { accounts, addresses, contacts, invoices, orgClients, profile } from '../schema'

/** The business as an invoice prints it. */
export type InvoiceBusiness = {
  name: string
  phone: string | null
  /** Its address on one line per part ("12 Pine St", "Oakland, CA 94607"); empty when not set. */
  address: string[]
  logo_text: string | null
  brand_color: string | null
  payment_instructions: string | null
  stripe_account_id: string | null
  default_tax_rate: number | null
}

/** The client as an invoice is addressed to them. */
export type InvoiceClient = {
  org_client_id: string
  first_name: string | null
  last_name: string | null
  email: string | null
  phone: string | null
  /** The client's default address on one line, else null. */
  address: string | null
}

/** The commercial account an invoice is billed to, with its billing address one line per part. */
export type InvoiceAccount = { id: string; name: string; billing_address: string[] }

export type InvoiceDocument = {
  invoice: InvoiceWithLines
  payments: PaymentRow[]
  client: InvoiceClient
  /** Set when the client was a contact of an account when the invoice was made. */
  account: InvoiceAccount | null
  business: InvoiceBusiness
  /** The percent new lines are taxed at: the invoice's own rate, else the client's or the business's today. */
  line_tax_rate: number
}

/** What the portal shows of an invoice's lines and totals. */
export type PortalInvoiceLines = Pick<
  InvoiceWithLines,
  'line_items' | 'subtotal_cents' | 'tax_cents' | 'tax_rate' | 'total_cents' | 'paid_cents'
>

/** The business's printable details; null before the profile exists. */
export function invoiceBusiness(db: OrgDb): InvoiceBusiness | null {
  const p = db.select().from(profile).where(eq(profile.id, 1)).get()
  if (!p) return null
  const a = p.address
  return {
    name: p.name,
    phone: p.phone,
    address: a ? [a.address1, a.address2, `${a.city}, ${a.state} ${a.postal}`].filter((l): l is string => !!l) : [],
    logo_text: p.logoText,
    brand_color: p.brandColor,
    payment_instructions: p.paymentInstructions,
    stripe_account_id: p.stripeAccountId,
    default_tax_rate: p.defaultTaxRate,
  }
}

/** The invoice with everything its page and printout show; null for an id this business does not hold. */
export function invoiceDocument(db: OrgDb, id: string, tz: string, now = new Date()): InvoiceDocument | null {
  const found = invoiceWithPayments(db, id, tz, now)
  const business = invoiceBusiness(db)
  if (!found || !business) return null
  const c = db
    .select({
      first: contacts.firstName,
      last: contacts.lastName,
      email: contacts.primaryEmail,
      phone: contacts.primaryPhoneE164,
      defaultAddressId: orgClients.defaultAddressId,
    })
    .from(orgClients)
    .innerJoin(contacts, eq(contacts.personId, orgClients.personId))
    .where(eq(orgClients.id, found.invoice.org_client_id))
    .get()
  const address = c?.defaultAddressId
    ? db.select().from(addresses).where(eq(addresses.id, c.defaultAddressId)).get()
    : undefined
  const billed = db
    .select({ id: accounts.id, name: accounts.name, address: accounts.billingAddress })
    .from(invoices)
    .innerJoin(accounts, eq(accounts.id, invoices.accountId))
    .where(eq(invoices.id, id))
    .get()
  const b = billed?.address
  return {
    ...found,
    business,
    account: billed
      ? {
          id: billed.id,
          name: billed.name,
          billing_address: b
            ? [b.address1, b.address2, `${b.city}, ${b.state} ${b.postal}`].filter((l): l is string => !!l)
            : [],
        }
      : null,
    line_tax_rate: found.invoice.tax_rate ?? taxRateFor(db, found.invoice.org_client_id),
    client: {
      org_client_id: found.invoice.org_client_id,
      first_name: c?.first ?? null,
      last_name: c?.last ?? null,
      email: c?.email ?? null,
      phone: c?.phone ?? null,
      address: address ? oneLine(address) : null,
    },
  }
}

/** The lines and totals of a client's sent invoice (open or paid) for the portal; null when it is not theirs to see. */
export function portalInvoiceLines(
  db: OrgDb,
  orgClientId: string,
  invoiceId: string,
  tz: string,
  now = new Date(),
): PortalInvoiceLines | null {
  const sent = db
    .select({ id: invoices.id })
    .from(invoices)
    .where(
      and(
        eq(invoices.id, invoiceId),
        eq(invoices.orgClientId, orgClientId),
        inArray(invoices.status, ['open', 'paid']),
      ),
    )
    .get()
  if (!sent) return null
  const { invoice } = invoiceWithPayments(db, invoiceId, tz, now)!
  return {
    line_items: invoice.line_items,
    subtotal_cents: invoice.subtotal_cents,
    tax_cents: invoice.tax_cents,
    tax_rate: invoice.tax_rate,
    total_cents: invoice.total_cents,
    paid_cents: invoice.paid_cents,
  }
}
