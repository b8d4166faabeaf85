/** Possible duplicates: pairs of client cards that look like one person, each with why and a link to compare them. */
import type { ClientBrief, DuplicatePair, DuplicateReason } from '../../durable-objects/org/merges/duplicates'
import { personName } from '../format'
import { Crumbs } from './crumbs'

const REASON_WORDS: Record<DuplicateReason, string> = {
  same_email: 'Same email',
  same_phone: 'Same phone',
  same_name_and_address: 'Same name and address',
}

/** Pairs of cards that look like one person, each with why and a link to compare them. */
export function DuplicatesPage(props: { items: DuplicatePair[]; clients: Record<string, ClientBrief> }) {
  const name = (id: string) => {
    const c = props.clients[id]
    return c ? personName(c) : 'Unknown client'
  }
  return (
    <>
      <Crumbs here="Possible duplicates" />
      <div class="page-head">
        <div>
          <h1>Possible duplicates</h1>
          <p class="muted">
            Cards that share an email, a phone, or a name and an address. Compare them before merging.
          </p>
        </div>
        <div class="actions">
          <a class="button" href="/app/clients/merges">
            Merge history
          </a>
        </div>
      </div>
      {props.items.length === 0 ? (
        <p class="empty card">No possible duplicates.</p>
      ) : (
        <table class="table" data-testid="duplicates">
          <thead>
            <tr>
              <th>Client</th>
              <th>Possible duplicate</th>
              <th>Why</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {props.items.map(({ org_client_ids: [a = '', b = ''], reasons }) => (
              <tr data-pair={`${a} ${b}`}>
                <td data-label="Client">
                  <a href={`/app/clients/${a}`}>{name(a)}</a>
                </td>
                <td data-label="Possible duplicate">
                  <a href={`/app/clients/${b}`}>{name(b)}</a>
                </td>
                <td data-label="Why">
                  <span class="chips">
                    {reasons.map((r) => (
                      <span class="chip">{REASON_WORDS[r]}</span>
                    ))}
                  </span>
                </td>
                <td>
                  <a class="button" href={`/app/clients/${a}/merge?from=${b}`}>
                    Compare
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
