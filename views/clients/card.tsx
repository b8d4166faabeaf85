/** The client's contact card (name, emails, phones, each with where it came from) and the form that edits it. */
import type { Card } from '../../durable-objects/org/cards/cards'
import type { ClientDetail } from '../../durable-objects/org/crm/clients'
import type { Provenance } from '../../durable-objects/org/schema'
import { FormAlert, type FormErrors, type FormValues } from '../fields'
import { phone } from '../format'
import { CsrfField, Field, useSession } from '../layout'
import { Origin } from './provenance'

/** A form shown again with what was typed and an error beside each field. */
export type FormState = { values: FormValues; errors: FormErrors }

const newest = (a: Provenance | undefined, b: Provenance | undefined) => (a && b ? (a.at >= b.at ? a : b) : (a ?? b))

/** The client card as this business knows it: name, emails and phones (primary first), each with where it came from. */
export function ContactCard({
  client,
  contact,
  notice,
}: {
  client: ClientDetail
  contact: Card | null
  notice?: string
}) {
  const tz = useSession().organization.timezone
  const card = contact ?? {
    first_name: client.first_name,
    last_name: client.last_name,
    emails: client.primary_email ? [client.primary_email] : [],
    phones: client.primary_phone_e164 ? [client.primary_phone_e164] : [],
    provenance: {} as Record<string, Provenance>,
  }
  const name = [card.first_name, card.last_name].filter(Boolean).join(' ')
  const edit = `/app/clients/${client.org_client_id}/contact/edit`
  return (
    <section class="card" id="client-contact" data-testid="contact">
      <div class="page-head">
        <h2>
          Contact <span class="muted small">only your business</span>
        </h2>
        <a
          class="button"
          href={edit}
          hx-get={edit}
          hx-target="#client-contact"
          hx-swap="outerHTML"
          data-testid="edit-contact"
        >
          Edit
        </a>
      </div>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <dl class="facts">
        <dt>Name</dt>
        <dd data-testid="contact-name">
          {name || <span class="muted">none</span>}
          <Origin p={newest(card.provenance['first_name'], card.provenance['last_name'])} tz={tz} />
        </dd>
        <dt>Email</dt>
        <dd data-testid="contact-emails">
          {card.emails.length === 0 ? (
            <span class="muted">none</span>
          ) : (
            card.emails.map((e, i) => (
              <div>
                <a href={`mailto:${e}`}>{e}</a>
                {i === 0 && card.emails.length > 1 ? <span class="muted small"> primary</span> : null}
                <Origin p={card.provenance[`email:${e}`]} tz={tz} />
              </div>
            ))
          )}
        </dd>
        <dt>Phone</dt>
        <dd data-testid="contact-phones">
          {card.phones.length === 0 ? (
            <span class="muted">none</span>
          ) : (
            card.phones.map((ph, i) => (
              <div>
                <a href={`tel:${ph}`}>{phone(ph)}</a>
                {i === 0 && card.phones.length > 1 ? <span class="muted small"> primary</span> : null}
                <Origin p={card.provenance[`phone:${ph}`]} tz={tz} />
              </div>
            ))
          )}
        </dd>
      </dl>
      <p class="hint">Changes here reach only your business's card; other businesses keep what they were told.</p>
    </section>
  )
}

/** The contact card as a form: a new email or phone becomes primary and the old one stays as secondary. */
export function ContactForm({ client, values, errors }: { client: ClientDetail } & FormState) {
  const id = client.org_client_id
  const action = `/app/clients/${id}/contact`
  return (
    <section class="card" id="client-contact" data-testid="contact">
      <h2>Edit contact</h2>
      <form method="post" action={action} hx-post={action} hx-target="#client-contact" hx-swap="outerHTML">
        <CsrfField />
        <FormAlert errors={errors} />
        <div class="cols-2">
          <Field
            label="First name"
            name="first_name"
            id="contact-first_name"
            value={values['first_name']}
            error={errors['first_name']}
            autocomplete="off"
          />
          <Field
            label="Last name"
            name="last_name"
            id="contact-last_name"
            value={values['last_name']}
            error={errors['last_name']}
            autocomplete="off"
          />
          <Field
            label="Email"
            name="email"
            id="contact-email"
            type="email"
            inputmode="email"
            value={values['email']}
            error={errors['email']}
            autocomplete="off"
          />
          <Field
            label="Phone"
            name="phone"
            id="contact-phone"
            type="tel"
            inputmode="tel"
            value={values['phone']}
            error={errors['phone']}
            autocomplete="off"
          />
        </div>
        <p class="hint">A new email or phone becomes the main one; the old one stays on the card.</p>
        <div class="form-actions">
          <button type="submit" class="primary">
            Save contact
          </button>
          <a
            class="button"
            href={`/app/clients/${id}`}
            hx-get={`/app/clients/${id}/contact`}
            hx-target="#client-contact"
            hx-swap="outerHTML"
          >
            Cancel
          </a>
        </div>
      </form>
    </section>
  )
}
