/** The ORG object's client cards: reading a card, contact changes and their reverts, addresses. */
import * as cards from '../cards'
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
}
