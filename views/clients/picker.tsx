/** Choosing the client of a job or an invoice: an existing one (select, narrowed by search) or a new one. */
import type { ClientRow } from '../../durable-objects/org/crm/clients'
import type { FormErrors, FormValues } from '../fields'
import { personName, phone } from '../format'
import { Field } from '../layout'

/** The options of the client select; the search box swaps them in place. */
export function ClientOptions({
  clients,
  query,
  ...props
}: {
  clients: ClientRow[]
  selected?: string
  query?: string
}) {
  // One match from a search is the one meant: choose it.
  const selected =
    props.selected && clients.some((c) => c.org_client_id === props.selected)
      ? props.selected
      : query && clients.length === 1
        ? clients[0]!.org_client_id
        : undefined
  const prompt =
    query && clients.length === 0
      ? `No client matches “${query}”`
      : query
        ? `${clients.length} found: choose one…`
        : 'Choose a client…'
  return (
    <>
      <option value="">{prompt}</option>
      {clients.map((c) => (
        <option value={c.org_client_id} selected={c.org_client_id === selected}>
          {[personName(c), phone(c.primary_phone_e164) || c.primary_email].filter(Boolean).join(' · ')}
        </option>
      ))}
    </>
  )
}

/**
 * Existing or new client in one fieldset. Without JavaScript both halves work: the radio says
 * which one counts, and CSS hides the other half.
 */
export function ClientPicker(props: {
  clients: ClientRow[]
  values: FormValues
  errors: FormErrors
  allowNew: boolean
}) {
  const v = props.values
  const e = props.errors
  const mode =
    props.allowNew && (v['client_mode'] === 'new' || (!v['client_mode'] && props.clients.length === 0))
      ? 'new'
      : 'existing'
  return (
    <fieldset class="client-pick">
      <legend>Client</legend>
      {props.allowNew ? (
        <div class="segmented" role="radiogroup" aria-label="Which client">
          <input type="radio" id="mode-existing" name="client_mode" value="existing" checked={mode === 'existing'} />
          <label for="mode-existing">Existing client</label>
          <input type="radio" id="mode-new" name="client_mode" value="new" checked={mode === 'new'} />
          <label for="mode-new">New client</label>
        </div>
      ) : (
        <input type="hidden" name="client_mode" value="existing" />
      )}
      <div class="pick-existing">
        <div class="field">
          <label for="client-search">Find a client</label>
          <input
            type="search"
            id="client-search"
            name="client_q"
            placeholder="Type a name, email or phone"
            autocomplete="off"
            value={v['client_q']}
            hx-get="/app/clients/options"
            hx-trigger="input changed delay:250ms, search, keydown[key=='Enter'] prevent"
            hx-target="#f-org_client_id"
            hx-include="this, #f-org_client_id"
          />
        </div>
        <div class={e['org_client_id'] ? 'field has-error' : 'field'}>
          <label for="f-org_client_id">Client</label>
          <select
            id="f-org_client_id"
            name="org_client_id"
            aria-invalid={e['org_client_id'] ? 'true' : undefined}
            aria-describedby={e['org_client_id'] ? 'f-org_client_id-error' : undefined}
          >
            <ClientOptions clients={props.clients} selected={v['org_client_id']} />
          </select>
          {e['org_client_id'] ? (
            <p class="error" id="f-org_client_id-error">
              {e['org_client_id']}
            </p>
          ) : null}
        </div>
      </div>
      {props.allowNew ? (
        <div class="pick-new">
          <div class="cols-2">
            <Field
              label="First name"
              name="first_name"
              value={v['first_name']}
              error={e['first_name']}
              autocomplete="off"
            />
            <Field
              label="Last name"
              name="last_name"
              value={v['last_name']}
              error={e['last_name']}
              autocomplete="off"
            />
            <Field
              label="Email"
              name="email"
              type="email"
              value={v['email']}
              error={e['email']}
              autocomplete="off"
              inputmode="email"
            />
            <Field
              label="Phone"
              name="phone"
              type="tel"
              value={v['phone']}
              error={e['phone']}
              autocomplete="off"
              inputmode="tel"
            />
          </div>
          <AddressFields values={v} errors={e} />
        </div>
      ) : null}
    </fieldset>
  )
}

/** A service address: street, city, state, ZIP. */
export function AddressFields({ values: v, errors: e }: { values: FormValues; errors: FormErrors }) {
  return (
    <div class="cols-address">
      <Field label="Street address" name="address1" value={v['address1']} error={e['address1']} autocomplete="off" />
      <Field label="City" name="city" value={v['city']} error={e['city']} autocomplete="off" />
      <Field label="State" name="state" value={v['state']} error={e['state']} autocomplete="off" />
      <Field label="ZIP" name="postal" value={v['postal']} error={e['postal']} autocomplete="off" inputmode="numeric" />
    </div>
  )
}
