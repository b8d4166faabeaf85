/** An account's contacts card: each with its role and the primary's star, edited, made primary or removed in place, and the add form. */
import type { AccountContact } from '../../durable-objects/org/sales/accounts/contacts'
import { FormAlert, type FormErrors, type FormValues } from '../fields'
import { personName, phone } from '../format'
import { CsrfField, Field } from '../layout'

export type ContactEditing = { id: string; values: FormValues; errors: FormErrors }

const swap = { 'hx-target': '#account-contacts', 'hx-swap': 'outerHTML' }

/** The people at the account, the primary first; its messages go to the primary. */
export function ContactsCard(p: {
  accountId: string
  contacts: AccountContact[]
  /** The add form (id "new") or a contact's form open with what was typed and its errors. */
  editing?: ContactEditing
  notice?: string
  error?: string
}) {
  const base = `/app/accounts/${p.accountId}/contacts`
  const adding = p.editing?.id === 'new' ? p.editing : undefined
  return (
    <section class="card" id="account-contacts" data-testid="account-contacts">
      <h2>Contacts</h2>
      <p class="hint">
        The primary contact <span aria-hidden="true">★</span> is who the account's messages go to.
      </p>
      {p.notice ? (
        <p class="notice" role="status">
          {p.notice}
        </p>
      ) : null}
      {p.error ? (
        <p class="alert" role="alert">
          {p.error}
        </p>
      ) : null}
      {p.contacts.length === 0 ? (
        <p class="muted">No contacts yet.</p>
      ) : (
        <ul class="rows">
          {p.contacts.map((c) => (
            <li class="row" data-testid="account-contact" data-contact-id={c.contact_id}>
              <div class="row-main">
                <strong>
                  {c.is_primary ? (
                    <span class="badge" title="Primary contact: the account's messages go here" data-testid="primary">
                      ★ primary
                    </span>
                  ) : null}{' '}
                  {c.org_client_id ? <a href={`/app/clients/${c.org_client_id}`}>{personName(c)}</a> : personName(c)}
                </strong>
                {c.role ? <span class="muted"> · {c.role}</span> : null}
                <div class="muted small">
                  {[c.email, phone(c.phone)].filter(Boolean).join(' · ') ||
                    (c.lead_id ? 'A lead' : 'No email or phone')}
                  {c.lead_id ? (
                    <>
                      {' · '}
                      <a href={`/app/leads/${c.lead_id}`}>lead</a>
                    </>
                  ) : null}
                </div>
                {p.editing?.id === c.contact_id ? (
                  <ContactEditForm accountId={p.accountId} contactId={c.contact_id} {...p.editing} />
                ) : (
                  <details class="edit">
                    <summary>Edit</summary>
                    <ContactEditForm
                      accountId={p.accountId}
                      contactId={c.contact_id}
                      values={{ first_name: c.first_name, last_name: c.last_name ?? '', role: c.role ?? '' }}
                      errors={{}}
                    />
                  </details>
                )}
                <div class="button-row">
                  {c.is_primary ? null : (
                    <form
                      method="post"
                      action={`${base}/${c.contact_id}/primary`}
                      hx-post={`${base}/${c.contact_id}/primary`}
                      {...swap}
                    >
                      <CsrfField />
                      <button type="submit">Make primary</button>
                    </form>
                  )}
                  <form
                    method="post"
                    action={`${base}/${c.contact_id}/remove`}
                    hx-post={`${base}/${c.contact_id}/remove`}
                    {...swap}
                    hx-confirm="Take this contact off the account? A client stays your client."
                  >
                    <CsrfField />
                    <button type="submit" class="danger">
                      Remove
                    </button>
                  </form>
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
      <details class="edit" open={adding !== undefined}>
        <summary>Add a contact</summary>
        <form method="post" action={base} hx-post={base} {...swap} novalidate>
          <CsrfField />
          <FormAlert errors={adding?.errors ?? {}} />
          <p class="hint">With an email or phone the contact is also your client (matched if they already are).</p>
          <div class="cols-2">
            <Field
              label="First name"
              name="first_name"
              id="contact-first"
              value={adding?.values['first_name']}
              error={adding?.errors['first_name']}
              required
              autocomplete="off"
            />
            <Field
              label="Last name"
              name="last_name"
              id="contact-last"
              value={adding?.values['last_name']}
              error={adding?.errors['last_name']}
              autocomplete="off"
            />
            <Field
              label="Email"
              name="email"
              id="contact-email"
              type="email"
              inputmode="email"
              value={adding?.values['email']}
              error={adding?.errors['email']}
              autocomplete="off"
            />
            <Field
              label="Phone"
              name="phone"
              id="contact-phone"
              type="tel"
              inputmode="tel"
              value={adding?.values['phone']}
              error={adding?.errors['phone']}
              autocomplete="off"
            />
            <Field
              label="Role"
              name="role"
              id="contact-role"
              value={adding?.values['role']}
              error={adding?.errors['role']}
              placeholder="Property manager, board president…"
              autocomplete="off"
            />
          </div>
          <div class="checks">
            <label>
              <input type="checkbox" name="is_primary" value="1" checked={Boolean(adding?.values['is_primary'])} /> Make
              this the primary contact
            </label>
          </div>
          <button type="submit" class="primary">
            Add contact
          </button>
        </form>
      </details>
    </section>
  )
}

/** A contact's names and role; a client's names change on its card too. */
function ContactEditForm(p: { accountId: string; contactId: string; values: FormValues; errors: FormErrors }) {
  const action = `/app/accounts/${p.accountId}/contacts/${p.contactId}`
  const id = (name: string) => `contact-${p.contactId}-${name}`
  return (
    <form method="post" action={action} hx-post={action} {...swap} class="inline-form" novalidate>
      <CsrfField />
      <div class="cols-2">
        <Field
          label="First name"
          name="first_name"
          id={id('first')}
          value={p.values['first_name']}
          error={p.errors['first_name']}
          autocomplete="off"
        />
        <Field
          label="Last name"
          name="last_name"
          id={id('last')}
          value={p.values['last_name']}
          error={p.errors['last_name']}
          autocomplete="off"
        />
        <Field
          label="Role"
          name="role"
          id={id('role')}
          value={p.values['role']}
          error={p.errors['role']}
          autocomplete="off"
        />
      </div>
      <button type="submit">Save contact</button>
      {p.errors['form'] ? <p class="error">{p.errors['form']}</p> : null}
    </form>
  )
}
