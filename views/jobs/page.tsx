/** A job's page: its facts and actions (reschedule, complete with undo, cancel, edit) and its line items. */
import type { Address } from '../../durable-objects/org/crm/clients'
import type { JobWithCrew } from '../../durable-objects/org/crm/jobs'
import type { Service } from '../../durable-objects/org/crm/services'
import type { TaskItem } from '../../durable-objects/org/portal/tasks'
import type { FormErrors, FormValues } from '../fields'
import { dateTime, localInput, money, timeOf, words } from '../format'
import { CsrfField, useSession } from '../layout'
import { OpenTasks } from '../portal/tasks'
import { type CrewMember, CrewNames } from './crew'
import type { JobItem } from '../jobs'
import { JobEditCard } from './edit'
import { LineItemsCard, type LinesProps } from './lines'
import { OnMyWayCard, type OnMyWayState } from './on-my-way'
import { PROVIDER_LABELS } from '../../src/integrations/availability'
import type { Provider } from '../../durable-objects/org/schema'

/** Everything the job page shows and its edit form offers. */
export type JobDetail = Omit<JobItem, 'job'> & {
  job: JobWithCrew
  address: Address | null
  addresses: Address[]
  services: Service[]
  team: CrewMember[]
  tasks?: TaskItem[]
  /** Until when "Completed · Undo" shows (null: not completed, or too long ago). */
  undoUntil: string | null
  /** "Every 2 weeks on Tuesday at 9:00 AM" and which visit of it this is, for a visit of a series. */
  series: { summary: string; visit: number } | null
  /** The CRM the job was booked into and is not on yet (its last attempt's outcome). */
  crmPending?: { provider: string; status: string; detail: string | null } | null
  /** "On my way" for a visit about to happen (or the one already sent); null: not shown. */
  onMyWay?: OnMyWayState | null
}

/** What an action says back: a notice, an error, the typed past time to ask about, the edit form as typed. */
export type JobSaid = {
  notice?: string | undefined
  error?: string | undefined
  /** `confirmPast`: the time typed that is in the past, asked about with a box to tick. */
  confirmPast?: string | undefined
  edit?: { values: FormValues; errors: FormErrors; confirmPast?: boolean } | undefined
}

export function JobPage({ item, lines, ...said }: { item: JobDetail; lines: LinesProps } & JobSaid) {
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
      <div class="job-page">
        <JobPanel item={item} {...said} />
        <LineItemsCard {...lines} />
      </div>
    </>
  )
}

/** Everything about a job that its actions change; each action swaps this panel. */
export function JobPanel({ item, notice, error, confirmPast, edit }: { item: JobDetail } & JobSaid) {
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
      {item.undoUntil ? <UndoBar jobId={job.id} until={item.undoUntil} tz={tz} /> : null}
      {item.crmPending ? <CrmPending pending={item.crmPending} /> : null}
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
          {item.series ? (
            <>
              <dt>Repeats</dt>
              <dd data-testid="job-series">
                {item.series.summary} · visit {item.series.visit}
              </dd>
            </>
          ) : null}
          <dt>Crew</dt>
          <dd>
            <CrewNames ids={job.assigned_to} team={item.team} />
            {job.conflicts.length > 0 ? (
              <span class="job-overlap" data-testid="job-overlaps">
                Overlaps {job.conflicts.length === 1 ? 'another job' : `${job.conflicts.length} other jobs`} of this
                crew:{' '}
                {job.conflicts.map((id, i) => (
                  <>
                    {i > 0 ? ', ' : ''}
                    <a href={`/app/jobs/${id}`}>see job</a>
                  </>
                ))}
              </span>
            ) : null}
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
          <dd data-testid="job-price">{money(job.price_cents)}</dd>
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
      {open && item.onMyWay ? <OnMyWayCard jobId={job.id} clientName={item.clientName} state={item.onMyWay} /> : null}
      {open ? <JobActions item={item} confirmPast={confirmPast} tz={tz} /> : null}
      <JobEditCard
        job={job}
        services={item.services}
        addresses={item.addresses}
        team={item.team}
        values={edit?.values}
        errors={edit?.errors}
        confirmPast={edit?.confirmPast}
      />
    </section>
  )
}

/** "Completed · Undo" for ten minutes after completing. */
function UndoBar({ jobId, until, tz }: { jobId: string; until: string; tz: string }) {
  const action = `/app/jobs/${jobId}/undo-complete`
  return (
    <div class="notice undo-bar" role="status" data-testid="undo-bar">
      <span>Completed</span>
      <span aria-hidden="true">·</span>
      <form method="post" action={action} hx-post={action} hx-target="#job-panel" hx-swap="outerHTML">
        <CsrfField />
        <button type="submit" class="link">
          Undo
        </button>
      </form>
      <span class="muted small">until {timeOf(until, tz)}</span>
    </div>
  )
}

/** Reschedule, complete and cancel (a visit of a series: this one, or this and the later ones). */
function JobActions({ item, confirmPast, tz }: { item: JobDetail; confirmPast: string | undefined; tz: string }) {
  const { job } = item
  const post = (what: string) => ({
    method: 'post' as const,
    action: `/app/jobs/${job.id}/${what}`,
    'hx-post': `/app/jobs/${job.id}/${what}`,
    'hx-target': '#job-panel',
    'hx-swap': 'outerHTML',
  })
  return (
    <div class="card">
      <h2>Reschedule</h2>
      <form {...post('reschedule')} class="inline-form reschedule">
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
        <form {...post('complete')}>
          <CsrfField />
          <button type="submit" class="primary">
            Mark complete
          </button>
        </form>
        <form
          {...post('cancel')}
          hx-confirm={`Cancel ${job.series_id ? 'this visit' : 'this job'}? Its reminders will not be sent.`}
        >
          <CsrfField />
          {job.series_id ? (
            <>
              <button type="submit" name="scope" value="this" class="danger">
                Cancel this visit
              </button>
              <button type="submit" name="scope" value="following" class="danger" data-testid="cancel-following">
                Cancel this and following
              </button>
            </>
          ) : (
            <button type="submit" class="danger">
              Cancel job
            </button>
          )}
        </form>
      </div>
    </div>
  )
}

/** "Not yet on Jobber: retrying" while a booking into the CRM waits; its last error once it gave up. */
function CrmPending({ pending }: { pending: NonNullable<JobDetail['crmPending']> }) {
  const crm = PROVIDER_LABELS[pending.provider as Provider] ?? pending.provider
  return pending.status === 'error' ? (
    <p class="alert" role="alert" data-testid="crm-pending">
      Not on {crm}: {pending.detail ?? 'the booking failed'}. Book it there by hand.
    </p>
  ) : (
    <p class="notice" role="status" data-testid="crm-pending">
      Not yet on {crm}: retrying.
    </p>
  )
}
