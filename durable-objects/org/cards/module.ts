/** The ORG object's client cards: reading a card, contact changes and their reverts, addresses. */
import * as addresses from './addresses'
import * as cards from './cards'
import * as changes from './contact-changes'
import type { OrgHost } from '../host'
import * as reports from '../crm/reports'
import type { Result } from '../result'

export type CardsHost = Pick<OrgHost, 'db' | 'write' | 'tz'>

export class Cards {
  constructor(private readonly host: CardsHost) {}

  /** This business's card of a person it holds as a client (merged cards followed), or null. */
  getPersonCard(personId: string): (cards.Card & { org_client_id: string }) | null {
    const client = cards.findClient(this.host.db, { person_id: personId })
    const card = client ? cards.getCard(this.host.db, client.person_id) : null
    return client && card ? { ...card, org_client_id: client.org_client_id } : null
  }

  /** A contact change of this business's own card of a client; null when the client is not ours. */
  changeContact(
    ref: { org_client_id?: string; person_id?: string },
    change: cards.ContactChange,
    author: cards.Author,
  ) {
    return this.host.write(() => changes.changeClientCard(this.host.db, ref, change, author))
  }

  /** Puts back one contact change from a client's timeline; null when the client or entry is not ours. */
  revertContactChange(
    orgClientId: string,
    eventId: string,
    author: cards.Author,
  ): Promise<Result<cards.FieldChange[] | null>> {
    return this.host.write(() => changes.revertClientChange(this.host.db, orgClientId, eventId, author))
  }

  /** A client's timeline with the card it describes (to tell which contact changes can still be put back); null when not ours. */
  timelineWithCard(orgClientId: string): { items: reports.TimelineItem[]; card: cards.Card | null } | null {
    const client = cards.findClient(this.host.db, { org_client_id: orgClientId })
    const items = client ? reports.clientTimeline(this.host.db, orgClientId, this.host.tz()) : null
    return client && items ? { items, card: cards.getCard(this.host.db, client.person_id) } : null
  }

  /** A client's addresses with who wrote each; null when the client is not ours. */
  listAddresses(orgClientId: string): addresses.ClientAddress[] | null {
    return addresses.listAddresses(this.host.db, orgClientId)
  }

  addAddress(
    orgClientId: string,
    input: addresses.NewAddress,
    author: cards.Author,
  ): Promise<Result<addresses.ClientAddress>> {
    return this.host.write(() => addresses.addAddress(this.host.db, orgClientId, input, author))
  }

  changeAddress(
    orgClientId: string,
    addressId: string,
    patch: addresses.AddressPatch,
    author: cards.Author,
  ): Promise<Result<addresses.ClientAddress>> {
    return this.host.write(() => addresses.changeAddress(this.host.db, orgClientId, addressId, patch, author))
  }

  removeAddress(
    orgClientId: string,
    addressId: string,
    author: cards.Author,
  ): Promise<Result<{ deleted: true; default_address_id: string | null }>> {
    return this.host.write(() => addresses.removeAddress(this.host.db, orgClientId, addressId, author))
  }

  /** The phone and email this business's card holds for a person (what consent is keyed by), or null. */
  consentTarget(personId: string): { person_id: string; phone: string | null; email: string | null } | null {
    return cards.consentTargets(this.host.db, [personId])[0] ?? null
  }
}
