/** Booking a job (for an existing or a new client, once or repeating); the job's page is in jobs/page.tsx. */
import type { ClientRow } from '../durable-objects/org/crm/clients'
import type { Job } from '../durable-objects/org/crm/jobs'
import type { Service } from '../durable-objects/org/crm/services'
import { ClientPicker } from './clients/picker'
import { FormAlert, SelectField, TextareaField, type FormErrors, type FormValues } from './fields'
import { duration, longDate, money } from './format'
import { CsrfField, Field, useSession } from './layout'
import { ConflictSlot } from './jobs/conflicts'
import { type CrewMember, CrewField } from './jobs/crew'
import { NotifyField, RepeatFields } from './jobs/repeat'
import type { Site } from '../durable-objects/org/sales/accounts/sites'
import { siteLine } from './accounts/sites'
import { type CrmChoices, CrmBookingFields } from './jobs/crm-booking'

export { JobPage, JobPanel, type JobDetail, type JobSaid } from './jobs/page'

/** A job with the names a page shows beside it. */
export type JobItem = { job: Job; clientName: string; serviceName: string | null }

type NewJobProps = {
  clients: ClientRow[]
  services: Service[]
  team: CrewMember[]
  /** The sites of the chosen client's commercial account, offered as where the work is. */
  sites?: Site[]
  values: FormValues
  errors: FormErrors
  /** The connected CRM's job types, business units and technicians, to book the job there too. */
  crm?: CrmChoices | null
}

/** The day of a typed start ("2026-03-05T09:00"), when it is a real one: a form sent back with "2026-02-30" names none. */
function calendarDay(start: string | undefined): string | undefined {
  const day = start?.slice(0, 10)
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined
  const t = Date.parse(`${day}T00:00:00Z`)
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === day ? day : undefined
}

/**
 * The connected CRM's free times on the day in the date field, loaded again whenever the field
 * changes (a newer answer replaces one still on its way); without JavaScript, a link to them.
 */
function AvailabilitySlot({ day, linked }: { day: string | undefined; linked: boolean }) {
  return (
    <div
      id="availability-slot"
      class="span-all"
      data-testid="availability-slot"
      hx-get={`/app/schedule/availability${day ? `?date=${day}` : ''}`}
      hx-trigger={day ? "load, change from:'#f-start'" : "change from:'#f-start'"}
      hx-include="#f-start"
      hx-sync="this:replace"
      hx-swap="innerHTML"
    >
      {linked ? (
        <a href={`/app/schedule/availability${day ? `?date=${day}` : ''}`} data-testid="free-times-link">
          {day ? `See free times on ${longDate(day)}` : 'See free times'}
        </a>
      ) : null}
    </div>
  )
}

/** The booking page around its form. */
export function NewJobPage(props: NewJobProps) {
  return (
    <>
      <p class="crumbs">
        <a href="/app/schedule">Schedule</a> / New job
      </p>
      <h1>Book a job</h1>
      <NewJobForm {...props} />
    </>
  )
}

/** The booking form; a failed post comes back as this fragment, filled in, errors beside fields. */
export function NewJobForm({ clients, services, team, sites = [], crm, values: v, errors: e }: NewJobProps) {
  const serviceOptions = [
    { value: '', label: 'No service' },
    ...services.map((s) => ({
      value: s.id,
      label: [
        s.name,
        s.duration_minutes ? duration(s.duration_minutes) : '',
        s.price_cents !== null ? money(s.price_cents) : '',
      ]
        .filter(Boolean)
        .join(' · '),
    })),
  ]
  const tz = useSession().organization.timezone
  return (
    <form
      id="new-job"
      class="card form-card"
      method="post"
      action="/app/jobs"
      hx-post="/app/jobs"
      hx-target="this"
      hx-swap="outerHTML"
      novalidate
    >
      <CsrfField />
      <FormAlert errors={e} />
      <ClientPicker clients={clients} values={v} errors={e} allowNew />
      <fieldset>
        <legend>Job</legend>
        <div class="cols-2">
          <Field
            label={`Date and time (${tz})`}
            name="start"
            type="datetime-local"
            value={v['start']}
            error={e['start']}
            required
          />
          <AvailabilitySlot day={calendarDay(v['start'])} linked={Boolean(crm)} />
          <SelectField
            label="Service"
            name="service_id"
            options={serviceOptions}
            value={v['service_id']}
            error={e['service_id']}
          />
          {sites.length > 0 ? (
            <SelectField
              label="Where"
              name="site_id"
              options={[
                { value: '', label: "The client's own address" },
                ...sites.map((s) => ({ value: s.site_id, label: `${s.label ?? 'Site'} · ${siteLine(s)}` })),
              ]}
              value={v['site_id']}
              error={e['site_id']}
            />
          ) : null}
          <Field
            label="Length in minutes (optional)"
            name="duration_minutes"
            type="number"
            inputmode="numeric"
            min="5"
            max="1440"
            step="5"
            value={v['duration_minutes']}
            error={e['duration_minutes']}
            hint="Leave empty to use the service's usual length."
          />
          <Field
            label="Price in dollars (optional)"
            name="price"
            inputmode="decimal"
            value={v['price']}
            error={e['price']}
            placeholder="e.g. 120"
            hint="Leave empty to use the service's price."
          />
        </div>
        <CrewField
          team={team}
          chosen={(v['assigned_to'] ?? '').split(',').filter(Boolean)}
          error={e['assigned_to']}
          idPrefix="f-"
        />
        <ConflictSlot form="#new-job" />
        <TextareaField label="Notes for the crew" name="notes" value={v['notes']} error={e['notes']} rows={2} />
      </fieldset>
      {crm ? <CrmBookingFields crm={crm} values={v} errors={e} /> : null}
      <RepeatFields values={v} errors={e} />
      <NotifyField values={v} />
      <div class="form-actions">
        <button type="submit" class="primary">
          Book job
        </button>
        <a href="/app/schedule" class="button">
          Back to schedule
        </a>
      </div>
    </form>
  )
}
