/** The ORG object's client cards: reading a card, contact changes and their reverts, addresses. */
import * as addresses from '../addresses'
import * as cards from '../cards'
import * as reports from '../reports'
import type { Result } from '../result'
import { OrgCrm } from './crm'

export class OrgCards extends OrgCrm {
  /** This business's card of a person it holds as a client (merged cards followed), or null. */
  async getPersonCard(personId: string): Promise<(cards.Card & { org_client_id: string }) | null> {
    const client = cards.findClient(this.db, { person_id: personId })
    const card = client ? cards.getCard(this.db, client.person_id) : null
    return client && card ? { ...card, org_client_id: client.org_client_id } : null
  }

  /** A contact change of this business's own card of a client; null when the client is not ours. */
  async changeContact(ref: { org_client_id?: string; person_id?: string }, change: cards.ContactChange, author: cards.Author) {
    return this.write(() => cards.changeClientCard(this.db, ref, change, author))
  }

  /** Puts back one contact change from a client's timeline; null when the client or entry is not ours. */
  async revertContactChange(orgClientId: string, eventId: string, author: cards.Author): Promise<Result<cards.FieldChange[] | null>> {
    return this.write(() => cards.revertClientChange(this.db, orgClientId, eventId, author))
  }

  /** A client's timeline with the card it describes (to tell which contact changes can still be put back); null when not ours. */
  async timelineWithCard(orgClientId: string): Promise<{ items: reports.TimelineItem[]; card: cards.Card | null } | null> {
    const client = cards.findClient(this.db, { org_client_id: orgClientId })
    const items = client ? reports.clientTimeline(this.db, orgClientId, this.tz()) : null
    return client && items ? { items, card: cards.getCard(this.db, client.person_id) } : null
  }

  /** A client's addresses with who wrote each; null when the client is not ours. */
  async listAddresses(orgClientId: string): Promise<addresses.ClientAddress[] | null> {
    return addresses.listAddresses(this.db, orgClientId)
  }

  async addAddress(orgClientId: string, input: addresses.NewAddress, author: cards.Author): Promise<Result<addresses.ClientAddress>> {
    return this.change(() => addresses.addAddress(this.db, orgClientId, input, author))
  }

  async changeAddress(orgClientId: string, addressId: string, patch: addresses.AddressPatch, author: cards.Author): Promise<Result<addresses.ClientAddress>> {
    return this.change(() => addresses.changeAddress(this.db, orgClientId, addressId, patch, author))
  }

  async removeAddress(orgClientId: string, addressId: string, author: cards.Author): Promise<Result<{ deleted: true; default_address_id: string | null }>> {
    return this.change(() => addresses.removeAddress(this.db, orgClientId, addressId, author))
  }
}
