/** A lead's fields as a form: the new-lead page and the lead page's edit card share them. */
import type { Lead } from '../../durable-objects/org/sales/leads/leads'
import { FormAlert, type FormErrors, type FormValues, SelectField, TextareaField } from '../fields'
import { dollarsInput, localInput } from '../format'
import { CsrfField, Field } from '../layout'
import { type LeadsContext, sourceOptions } from './parts'

/** A lead's values as the form shows them: dollars, and the follow-up on the business's clock. */
export function leadValues(lead: Lead, tz: string): FormValues {
  return {
    first_name: lead.first_name,
    last_name: lead.last_name ?? '',
    company: lead.company ?? '',
    email: lead.email ?? '',
    phone: lead.phone ?? '',
    source: lead.source,
    service_interest: lead.service_interest ?? '',
    estimated_value: dollarsInput(lead.estimated_value_cents),
    status_id: lead.status_id,
    next_follow_up_at: lead.next_follow_up_at ? localInput(lead.next_follow_up_at, tz) : '',
    assigned_to: lead.assigned_to ?? '',
    notes: lead.notes ?? '',
  }
}

/** The fields, filled in with `values`, each error beside its field. */
function LeadFields({ values: v, errors: e, ctx }: { values: FormValues; errors: FormErrors; ctx: LeadsContext }) {
  return (
    <>
      <fieldset>
        <legend>Who</legend>
        <div class="cols-2">
          <Field label="First name" name="first_name" value={v['first_name']} error={e['first_name']} required />
          <Field label="Last name" name="last_name" value={v['last_name']} error={e['last_name']} />
          <Field label="Company" name="company" value={v['company']} error={e['company']} />
          <Field
            label="Email"
            name="email"
            type="email"
            inputmode="email"
            value={v['email']}
            error={e['email']}
            autocomplete="off"
          />
          <Field
            label="Phone"
            name="phone"
            type="tel"
            inputmode="tel"
            value={v['phone']}
            error={e['phone']}
            autocomplete="off"
          />
        </div>
      </fieldset>
      <fieldset>
        <legend>The work</legend>
        <div class="cols-2">
          <SelectField
            label="Source"
            name="source"
            value={v['source'] ?? 'manual'}
            error={e['source']}
            options={sourceOptions(v['source'])}
          />
          <Field
            label="Service interest"
            name="service_interest"
            value={v['service_interest']}
            error={e['service_interest']}
            placeholder="Deep clean, move-out…"
          />
          <Field
            label="Estimated value ($)"
            name="estimated_value"
            inputmode="decimal"
            value={v['estimated_value']}
            error={e['estimated_value']}
            placeholder="1200"
          />
          <SelectField
            label="Status"
            name="status_id"
            value={v['status_id'] ?? ctx.statuses[0]?.id}
            error={e['status_id']}
            options={ctx.statuses.map((s) => ({ value: s.id, label: s.name }))}
          />
          <Field
            label="Next follow-up"
            name="next_follow_up_at"
            type="datetime-local"
            value={v['next_follow_up_at']}
            error={e['next_follow_up_at']}
            hint={`On the business's clock (${ctx.tz}).`}
          />
          <SelectField
            label="Assigned to"
            name="assigned_to"
            value={v['assigned_to'] ?? ''}
            error={e['assigned_to']}
            options={[{ value: '', label: 'Nobody yet' }, ...ctx.team.map((m) => ({ value: m.id, label: m.name }))]}
          />
        </div>
        <TextareaField label="Notes" name="notes" value={v['notes']} error={e['notes']} rows={3} />
      </fieldset>
    </>
  )
}

type FormProps = { values: FormValues; errors: FormErrors; ctx: LeadsContext }

/** The new-lead form; a refused post comes back as this fragment, filled in, nothing written. */
export function NewLeadForm(p: FormProps) {
  return (
    <form
      id="new-lead"
      class="card form-card"
      method="post"
      action="/app/leads"
      hx-post="/app/leads"
      hx-target="this"
      hx-swap="outerHTML"
      novalidate
    >
      <CsrfField />
      <FormAlert errors={p.errors} />
      <LeadFields {...p} />
      <div class="form-actions">
        <button type="submit" class="primary">
          Add lead
        </button>
        <a href="/app/leads" class="button">
          Back to leads
        </a>
      </div>
    </form>
  )
}

export function NewLeadPage(p: FormProps) {
  return (
    <>
      <p class="crumbs">
        <a href="/app/leads">Leads</a> / New
      </p>
      <h1>New lead</h1>
      <NewLeadForm {...p} />
    </>
  )
}

/** The lead page's edit card: the same fields, saved in place. */
export function EditLeadForm(p: FormProps & { id: string; notice?: string }) {
  const action = `/app/leads/${p.id}`
  return (
    <form
      id="lead-edit"
      class="card form-card"
      method="post"
      action={action}
      hx-post={action}
      hx-target="this"
      hx-swap="outerHTML"
      novalidate
    >
      <h2>Details</h2>
      {p.notice ? (
        <p class="notice" role="status">
          {p.notice}
        </p>
      ) : null}
      <CsrfField />
      <FormAlert errors={p.errors} />
      <LeadFields {...p} />
      <div class="form-actions">
        <button type="submit" class="primary">
          Save
        </button>
      </div>
    </form>
  )
}
