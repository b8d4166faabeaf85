/** The job page's one edit form: service, price, crew, property, start and length, notes. */
import type { Address } from '../../durable-objects/org/crm/clients'
import type { JobWithCrew } from '../../durable-objects/org/crm/jobs'
import type { Service } from '../../durable-objects/org/crm/services'
import { type FormErrors, type FormValues, SelectField, TextareaField } from '../fields'
import { dollarsInput, localInput, money } from '../format'
import { CsrfField, Field, useSession } from '../layout'
import { ConflictSlot } from './conflicts'
import { type CrewMember, CrewField } from './crew'

export type EditProps = {
  job: JobWithCrew
  services: Service[]
  addresses: Address[]
  team: CrewMember[]
  /** What was typed, when the form comes back; else the job's own values. */
  values?: FormValues | undefined
  errors?: FormErrors | undefined
  /** The typed start is in the past: ask with a box to tick. */
  confirmPast?: boolean | undefined
}

/** The job's values as the form shows them. */
export function editValues(job: JobWithCrew, tz: string): FormValues {
  const minutes = job.end_at ? Math.round((Date.parse(job.end_at) - Date.parse(job.start_at)) / 60_000) : null
  return {
    service_id: job.service_id ?? '',
    address_id: job.address_id ?? '',
    price: dollarsInput(job.price_cents),
    start: localInput(job.start_at, tz),
    duration_minutes: minutes ? String(minutes) : '',
    notes: job.notes ?? '',
    assigned_to: job.assigned_to.join(','),
  }
}

/** Opens by itself when it comes back with errors; a visit of a series asks whether later visits change too. */
export function JobEditCard(p: EditProps) {
  const { job } = p
  const tz = useSession().organization.timezone
  const v = p.values ?? editValues(job, tz)
  const e = p.errors ?? {}
  const open = job.status !== 'completed' && job.status !== 'cancelled'
  const action = `/app/jobs/${job.id}/edit`
  const chosen = (v['assigned_to'] ?? '').split(',').filter(Boolean)
  return (
    <details class="card job-edit" id="job-edit" open={p.values !== undefined}>
      <summary>
        <h2>Edit job</h2>
      </summary>
      <form
        method="post"
        action={action}
        hx-post={action}
        hx-target="#job-panel"
        hx-swap="outerHTML"
        novalidate
        data-testid="job-edit-form"
      >
        <CsrfField />
        <div class="cols-2">
          <SelectField
            label="Service"
            name="service_id"
            id="edit-service"
            value={v['service_id']}
            error={e['service_id']}
            options={[
              { value: '', label: 'No service' },
              ...p.services.map((s) => ({
                value: s.id,
                label: s.price_cents !== null ? `${s.name} · ${money(s.price_cents)}` : s.name,
              })),
            ]}
          />
          <Field
            label="Price in dollars"
            name="price"
            id="edit-price"
            inputmode="decimal"
            value={v['price']}
            error={e['price']}
          />
          {open ? (
            <>
              <Field
                label={`Date and time (${tz})`}
                name="start"
                id="edit-start"
                type="datetime-local"
                value={v['start']}
                error={e['start']}
              />
              <Field
                label="Length in minutes"
                name="duration_minutes"
                id="edit-duration"
                type="number"
                inputmode="numeric"
                min="5"
                max="1440"
                step="5"
                value={v['duration_minutes']}
                error={e['duration_minutes']}
                hint="The end is the start plus this."
              />
            </>
          ) : null}
          <SelectField
            label="Property"
            name="address_id"
            id="edit-address"
            value={v['address_id']}
            error={e['address_id']}
            options={[
              { value: '', label: 'No address' },
              ...p.addresses.map((a) => ({
                value: a.id,
                label: `${a.address1}, ${a.city}${a.label ? ` (${a.label})` : ''}`,
              })),
            ]}
          />
        </div>
        <CrewField team={p.team} chosen={chosen} error={e['assigned_to']} idPrefix="edit-" />
        {open ? <ConflictSlot form="#job-edit" exclude={job.id} /> : null}
        <TextareaField label="Notes for the crew" name="notes" id="edit-notes" value={v['notes']} error={e['notes']} />
        {p.confirmPast ? (
          <div class="checks">
            <label>
              <input type="checkbox" name="allow_past" value="1" /> Move it into the past anyway
            </label>
          </div>
        ) : null}
        {job.series_id ? (
          <fieldset class="checks" data-testid="edit-scope">
            <legend>Change</legend>
            <label>
              <input type="radio" name="scope" value="this" checked={v['scope'] !== 'following'} /> This visit
            </label>
            <label>
              <input type="radio" name="scope" value="following" checked={v['scope'] === 'following'} /> This and
              following visits
            </label>
          </fieldset>
        ) : null}
        <div class="form-actions">
          <button type="submit" class="primary">
            Save changes
          </button>
        </div>
      </form>
    </details>
  )
}
