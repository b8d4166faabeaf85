/** Booking a job (for an existing or a new client) and the job page with reschedule, cancel and complete. */
import type { Address, ClientRow } from '../durable-objects/org/crm/clients'
import type { Job } from '../durable-objects/org/crm/jobs'
import type { Service } from '../durable-objects/org/crm/services'
import { ClientPicker } from './clients/picker'
import { FormAlert, SelectField, TextareaField, type FormErrors, type FormValues } from './fields'
import { dateTime, dollarsInput, duration, localInput, money, timeOf, words } from './format'
import { CsrfField, Field, useSession } from './layout'
import type { TaskItem } from '../durable-objects/org/portal/tasks'
import { OpenTasks } from './portal/tasks'

/** A job with the names a page shows beside it. */
export type JobItem = { job: Job; clientName: string; serviceName: string | null }

type NewJobProps = { clients: ClientRow[]; services: Service[]; values: FormValues; errors: FormErrors }

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
export function NewJobForm({ clients, services, values: v, errors: e }: NewJobProps) {
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
          <SelectField
            label="Service"
            name="service_id"
            options={serviceOptions}
            value={v['service_id']}
            error={e['service_id']}
          />
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
        <TextareaField label="Notes for the crew" name="notes" value={v['notes']} error={e['notes']} rows={2} />
      </fieldset>
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

export type JobDetail = JobItem & { address: Address | null; tasks?: TaskItem[] }

/** A job with its actions. */
/** `confirmPast`: the time typed that is in the past, asked about with a box to tick. */
type JobSaid = { notice?: string; error?: string; confirmPast?: string | undefined }

export function JobPage({ item, notice, error, confirmPast }: { item: JobDetail } & JobSaid) {
  const { job } = item
  return (
    <>
      <p class="crumbs">
        <a href="/app/schedule">Schedule</a> / Job
      </p>
      <div class="page-head">
        <h1>
          {item.serviceName ?? 'Job'} for <a href={`/app/clients/${job.org_client_id}`}>{item.clientName}</a>
        </h1>
      </div>
      <JobPanel item={item} notice={notice} error={error} confirmPast={confirmPast} />
    </>
  )
}

/** Everything about a job that its actions change; each action swaps this panel. */
export function JobPanel({ item, notice, error, confirmPast }: { item: JobDetail } & JobSaid) {
  const { job, address } = item
  const tz = useSession().organization.timezone
  const open = job.status !== 'completed' && job.status !== 'cancelled'
  return (
    <section id="job-panel" class="stack">
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
      {item.tasks ? <OpenTasks tasks={item.tasks} back={`/app/jobs/${job.id}`} title="The client asks" /> : null}
      <div class="card">
        <dl class="facts">
          <dt>Status</dt>
          <dd>
            <span class={`badge badge-${job.status}`} data-testid="job-status">
              {words(job.status)}
            </span>
            {job.confirmed_at ? (
              <span class="badge" data-testid="job-confirmed">
                confirmed by the client
              </span>
            ) : null}
          </dd>
          <dt>When</dt>
          <dd data-testid="job-when">
            {dateTime(job.start_at, tz)}
            {job.end_at ? ` – ${timeOf(job.end_at, tz)}` : ''}
          </dd>
          <dt>Client</dt>
          <dd>
            <a href={`/app/clients/${job.org_client_id}`}>{item.clientName}</a>
          </dd>
          <dt>Where</dt>
          <dd>
            {address ? (
              `${address.address1}, ${address.city}, ${address.state} ${address.postal}`
            ) : (
              <span class="muted">No address on file</span>
            )}
          </dd>
          <dt>Price</dt>
          <dd>{money(job.price_cents)}</dd>
          {job.notes ? (
            <>
              <dt>Notes</dt>
              <dd class="pre">{job.notes}</dd>
            </>
          ) : null}
          {job.completed_at ? (
            <>
              <dt>Completed</dt>
              <dd>{dateTime(job.completed_at, tz)}</dd>
            </>
          ) : null}
        </dl>
      </div>
      {open ? (
        <div class="card">
          <h2>Reschedule</h2>
          <form
            method="post"
            action={`/app/jobs/${job.id}/reschedule`}
            hx-post={`/app/jobs/${job.id}/reschedule`}
            hx-target="#job-panel"
            hx-swap="outerHTML"
            class="inline-form reschedule"
          >
            <CsrfField />
            <label for="reschedule-start">New date and time ({tz})</label>
            <input
              id="reschedule-start"
              name="start"
              type="datetime-local"
              value={confirmPast ?? localInput(job.start_at, tz)}
              required
            />
            {confirmPast ? (
              <label class="check">
                <input type="checkbox" name="allow_past" /> Move it into the past anyway
              </label>
            ) : null}
            <button type="submit">Reschedule</button>
          </form>
          <div class="button-row">
            <form
              method="post"
              action={`/app/jobs/${job.id}/complete`}
              hx-post={`/app/jobs/${job.id}/complete`}
              hx-target="#job-panel"
              hx-swap="outerHTML"
            >
              <CsrfField />
              <button type="submit" class="primary">
                Mark complete
              </button>
            </form>
            <form
              method="post"
              action={`/app/jobs/${job.id}/cancel`}
              hx-post={`/app/jobs/${job.id}/cancel`}
              hx-target="#job-panel"
              hx-swap="outerHTML"
              hx-confirm="Cancel this job? Its reminders will not be sent."
            >
              <CsrfField />
              <button type="submit" class="danger">
                Cancel job
              </button>
            </form>
          </div>
        </div>
      ) : null}
      {job.status === 'completed' ? (
        <p>
          <a
            class="button"
            href={`/app/invoices/new?client=${job.org_client_id}&job=${job.id}&amount=${dollarsInput(job.price_cents)}`}
          >
            Create an invoice for this job
          </a>
        </p>
      ) : null}
    </section>
  )
}
