/** Who a message goes to: a client's first name, contact points and clock, and their consent for this run. */
import { eq } from 'drizzle-orm'
import { DEFAULT_CONSENT, type Consent } from '../../../src/messaging/decision'
import { zoneOfAddress } from '../../../src/messaging/recipient-zone'
import type { Channel } from '../../../src/messaging/templates'
import type { OrgDb } from '../db'
import { addresses, contacts, orgClients } from '../schema'
import type { DispatchContext } from './dispatch'

export type Recipient = {
  personId: string
  firstName: string
  phone: string | null
  email: string | null
  zone: string
}

/** A client's first name, contact points and clock (their property's zone, else `fallbackZone`); null when the client is gone. */
export function recipientOf(db: OrgDb, orgClientId: string, fallbackZone: string): Recipient | null {
  const row = db
    .select({
      personId: orgClients.personId,
      firstName: contacts.firstName,
      phone: contacts.primaryPhoneE164,
      email: contacts.primaryEmail,
      addressId: orgClients.defaultAddressId,
    })
    .from(orgClients)
    .innerJoin(contacts, eq(contacts.personId, orgClients.personId))
    .where(eq(orgClients.id, orgClientId))
    .get()
  if (!row) return null
  const address = row.addressId
    ? db
        .select({ state: addresses.state, country: addresses.country })
        .from(addresses)
        .where(eq(addresses.id, row.addressId))
        .get()
    : undefined
  return {
    personId: row.personId,
    firstName: row.firstName ?? 'there',
    phone: row.phone,
    email: row.email,
    zone: zoneOfAddress(address) ?? fallbackZone,
  }
}

/** Where a channel reaches the recipient: their phone or their email, null when they have none. */
export function addressOn(recipient: Recipient, channel: Channel): string | null {
  return channel === 'sms' ? recipient.phone : recipient.email
}

/** A person's consent as read for this run; someone without a record has both channels on. */
export function consentOf(ctx: Pick<DispatchContext, 'consents'>, personId: string): Consent {
  return ctx.consents[personId] ?? DEFAULT_CONSENT
}
