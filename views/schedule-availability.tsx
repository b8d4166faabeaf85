/**
 * The day's free slots in each connected CRM, standalone so the booking form can load it
 * (`hx-get="/app/schedule/availability?date=…"`): each slot is a link that opens the booking form
 * at that date and time. Nothing at all when no CRM is connected.
 */
import type { Slot } from '../src/integrations/availability'
import { wallClock } from '../src/time'
import { longDate, timeOf } from './format'

/** One CRM's day: its free slots, or why they could not be read. */
export type CrmDay =
  | { connectionId: string; label: string; slots: Slot[] }
  | { connectionId: string; label: string; error: string }

/** "14:30": the wall-clock time of an instant in the business's zone, as the booking form takes it. */
function clockTime(instant: string, tz: string): string {
  const w = wallClock(new Date(instant), tz)
  return `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`
}

export function ScheduleAvailability({ date, tz, days }: { date: string; tz: string; days: CrmDay[] }) {
  if (days.length === 0) return null
  return (
    <section class="card" id="crm-availability" data-testid="crm-availability" aria-label="Free in your CRM">
      {days.map((day) => (
        <div data-connection={day.connectionId}>
          <h3>
            Free in {day.label} on {longDate(date)}
          </h3>
          {'error' in day ? (
            <p class="muted small" role="status">
              {day.error}
            </p>
          ) : day.slots.length === 0 ? (
            <p class="muted small">Nothing free that day.</p>
          ) : (
            <p class="chips">
              {day.slots.map((s) => (
                <a
                  class="chip"
                  data-testid="free-slot"
                  href={`/app/jobs/new?${new URLSearchParams({ date, time: clockTime(s.start_at, tz) })}`}
                  title={s.technician_name ? `with ${s.technician_name}` : undefined}
                >
                  {timeOf(s.start_at, tz)}
                  {s.technician_name ? ` · ${s.technician_name}` : ''}
                </a>
              ))}
            </p>
          )}
        </div>
      ))}
    </section>
  )
}
