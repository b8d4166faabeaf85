/** The client's service addresses (the Properties card), edited, made default or removed in place, and the add form. */
import type { ClientAddress } from '../../durable-objects/org/cards/addresses'
import { CsrfField, Field, useSession } from '../layout'
import type { FormState } from './card'
import { Origin } from './provenance'

/** An address form open in place: `id` 'new' is the add form. */
export type AddressEditing = FormState & { id: string }

/** One address on one line. */
const line = (a: ClientAddress) => [a.address1, a.address2, a.city, `${a.state} ${a.postal}`].filter(Boolean).join(', ')

/** The client's service addresses, each edited, made default or removed in place, and a form to add one. */
export function Properties({
  clientId,
  addresses,
  editing,
  notice,
  error,
}: {
  clientId: string
  addresses: ClientAddress[]
  editing?: AddressEditing
  notice?: string
  error?: string
}) {
  const tz = useSession().organization.timezone
  const base = `/app/clients/${clientId}/addresses`
  const swap = { 'hx-target': '#client-properties', 'hx-swap': 'outerHTML' }
  return (
    <section class="card" id="client-properties" data-testid="properties">
      <h2>Properties</h2>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {error ? (
        <p class="alert" role="alert">
          {error}
        </p>
      ) : null}
      {addresses.length === 0 ? (
        <p class="muted">No service address yet.</p>
      ) : (
        <ul class="rows">
          {addresses.map((a) =>
            editing?.id === a.id ? (
              <li class="row">
                <div class="row-main">
                  <AddressForm clientId={clientId} id={a.id} values={editing.values} errors={editing.errors} />
                </div>
              </li>
            ) : (
              <li class="row" data-testid="address">
                <div class="row-main">
                  <strong>{a.label ?? 'Property'}</strong>
                  {a.is_default ? <span class="badge">default</span> : null}
                  <div>{line(a)}</div>
                  <Origin
                    p={
                      a.changed_by || a.source !== 'staff'
                        ? { source: a.source, by: a.changed_by, at: a.updated_at ?? a.created_at }
                        : undefined
                    }
                    tz={tz}
                  />
                  <div class="button-row">
                    <a class="button" href={`${base}/${a.id}/edit`} hx-get={`${base}/${a.id}/edit`} {...swap}>
                      Edit
                    </a>
                    {a.is_default ? null : (
                      <form
                        method="post"
                        action={`${base}/${a.id}/default`}
                        hx-post={`${base}/${a.id}/default`}
                        {...swap}
                      >
                        <CsrfField />
                        <button type="submit">Make default</button>
                      </form>
                    )}
                    <form
                      method="post"
                      action={`${base}/${a.id}/remove`}
                      hx-post={`${base}/${a.id}/remove`}
                      {...swap}
                      hx-confirm="Remove this address?"
                    >
                      <CsrfField />
                      <button type="submit" class="danger">
                        Remove
                      </button>
                    </form>
                  </div>
                </div>
              </li>
            ),
          )}
        </ul>
      )}
      <details class="edit" open={editing?.id === 'new'}>
        <summary>Add an address</summary>
        <AddressForm
          clientId={clientId}
          values={editing?.id === 'new' ? editing.values : {}}
          errors={editing?.id === 'new' ? editing.errors : {}}
        />
      </details>
    </section>
  )
}

/** An address form: adding when no `id`, else changing that address. */
function AddressForm({ clientId, id, values, errors }: { clientId: string; id?: string } & FormState) {
  const base = `/app/clients/${clientId}/addresses`
  const action = id ? `${base}/${id}` : base
  const f = (name: string) => `addr-${id ?? 'new'}-${name}`
  return (
    <form method="post" action={action} hx-post={action} hx-target="#client-properties" hx-swap="outerHTML">
      <CsrfField />
      <Field
        label="Label"
        name="label"
        id={f('label')}
        value={values['label']}
        error={errors['label']}
        placeholder="Home, Rental…"
        autocomplete="off"
      />
      <div class="cols-address">
        <Field
          label="Street address"
          name="address1"
          id={f('address1')}
          value={values['address1']}
          error={errors['address1']}
          autocomplete="off"
        />
        <Field
          label="Apt, suite"
          name="address2"
          id={f('address2')}
          value={values['address2']}
          error={errors['address2']}
          autocomplete="off"
        />
        <Field
          label="City"
          name="city"
          id={f('city')}
          value={values['city']}
          error={errors['city']}
          autocomplete="off"
        />
        <Field
          label="State"
          name="state"
          id={f('state')}
          value={values['state']}
          error={errors['state']}
          autocomplete="off"
        />
        <Field
          label="ZIP"
          name="postal"
          id={f('postal')}
          value={values['postal']}
          error={errors['postal']}
          autocomplete="off"
        />
      </div>
      <div class="form-actions">
        <button type="submit" class="primary">
          {id ? 'Save address' : 'Add address'}
        </button>
        {id ? (
          <a
            class="button"
            href={`/app/clients/${clientId}`}
            hx-get={base}
            hx-target="#client-properties"
            hx-swap="outerHTML"
          >
            Cancel
          </a>
        ) : null}
      </div>
    </form>
  )
}
