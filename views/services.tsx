/** Services the business offers, with their usual length and price, and a form to add one. */
import type { Service } from '../durable-objects/org/crm/services'
import { FormAlert, type FormErrors, type FormValues } from './fields'
import { duration, money } from './format'
import { CsrfField, Field } from './layout'

type Props = { services: Service[]; values?: FormValues; errors?: FormErrors; notice?: string }

/** The services page. */
export function ServicesPage(props: Props) {
  return (
    <>
      <h1>Services</h1>
      <p class="muted">What you offer. A job booked for a service takes its length and price unless you change them.</p>
      <ServicesSection {...props} />
    </>
  )
}

/** The list and the form together, so adding a service swaps both in one response. */
export function ServicesSection({ services, values, errors, notice }: Props) {
  const v = values ?? {}
  const e = errors ?? {}
  return (
    <div id="services" class="grid-2">
      <section class="card">
        <h2>Your services</h2>
        {notice ? (
          <p class="notice" role="status">
            {notice}
          </p>
        ) : null}
        {services.length === 0 ? (
          <p class="muted">No services yet. Add your first one.</p>
        ) : (
          <table class="table plain" data-testid="services">
            <thead>
              <tr>
                <th>Service</th>
                <th>Length</th>
                <th class="num">Price</th>
              </tr>
            </thead>
            <tbody>
              {services.map((s) => (
                <tr>
                  <td data-label="Service" class="strong">
                    {s.name}
                  </td>
                  <td data-label="Length">{duration(s.duration_minutes)}</td>
                  <td data-label="Price" class="num">
                    {s.price_cents === null ? '—' : money(s.price_cents)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <form
        class="card"
        method="post"
        action="/app/services"
        hx-post="/app/services"
        hx-target="#services"
        hx-swap="outerHTML"
        novalidate
      >
        <h2>Add a service</h2>
        <CsrfField />
        <FormAlert errors={e} />
        <Field
          label="Name"
          name="name"
          value={v['name']}
          error={e['name']}
          required
          placeholder="e.g. Deep clean"
          autocomplete="off"
        />
        <div class="cols-2">
          <Field
            label="Length in minutes"
            name="duration_minutes"
            type="number"
            inputmode="numeric"
            min="5"
            max="1440"
            step="5"
            value={v['duration_minutes']}
            error={e['duration_minutes']}
            placeholder="120"
          />
          <Field
            label="Price in dollars"
            name="price"
            inputmode="decimal"
            value={v['price']}
            error={e['price']}
            placeholder="180"
          />
        </div>
        <button type="submit" class="primary">
          Add service
        </button>
      </form>
    </div>
  )
}
