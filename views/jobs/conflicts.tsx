/** The booking form's overlap warning: which of the chosen crew already have a job at that time. */
import { timeOf } from '../format'
import { useSession } from '../layout'

/** One person of the crew and their jobs overlapping the time asked about. */
export type CrewConflict = {
  name: string
  color: string
  jobs: Array<{ id: string; start_at: string; end_at: string | null; clientName: string }>
}

/** The fields the warning reads: when, how long, which service, who. */
const ASKED = ['start', 'duration_minutes', 'service_id', 'assigned_to']

/**
 * Where the warning shows; htmx asks again whenever the form around it changes, sending only the
 * fields it reads from the form `form` names (not the CSRF token). `exclude` leaves the job being
 * edited out of its own overlaps.
 */
export function ConflictSlot({ form, exclude }: { form: string; exclude?: string }) {
  return (
    <div
      class="job-conflicts"
      aria-live="polite"
      hx-get={exclude ? `/app/jobs/conflicts?exclude=${exclude}` : '/app/jobs/conflicts'}
      hx-trigger="change from:'closest form'"
      hx-include={ASKED.map((name) => `${form} [name=${name}]`).join(', ')}
      hx-swap="innerHTML"
    ></div>
  )
}

/** The warning itself: nothing when no one overlaps. A warning, never a refusal: the job can still be booked. */
export function ConflictList({ conflicts }: { conflicts: CrewConflict[] }) {
  const tz = useSession().organization.timezone
  if (conflicts.length === 0) return null
  return (
    <div class="warning" role="status" data-testid="conflict-warning">
      <p class="strong">Already booked then:</p>
      <ul>
        {conflicts.map((p) => (
          <li>
            <span class="crew-dot" style={`background:${p.color}`} aria-hidden="true"></span> {p.name}:{' '}
            {p.jobs.map((j, i) => (
              <>
                {i > 0 ? '; ' : ''}
                <a href={`/app/jobs/${j.id}`}>
                  {j.clientName}, {timeOf(j.start_at, tz)}
                  {j.end_at ? `–${timeOf(j.end_at, tz)}` : ''}
                </a>
              </>
            ))}
          </li>
        ))}
      </ul>
      <p class="small muted">You can still book it; the schedule will mark the overlap.</p>
    </div>
  )
}
