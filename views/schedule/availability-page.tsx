/**
 * /app/schedule/availability as a page, for the booking form's link without JavaScript: one day's
 * free times in each connected CRM, another day to pick, and booking a job that day.
 */
import { addDays } from '../../src/time'
import { longDate } from '../format'
import { Field } from '../layout'
import { type CrmDay, ScheduleAvailability } from '../schedule-availability'

export function AvailabilityPage({ date, tz, days }: { date: string; tz: string; days: CrmDay[] }) {
  const day = (d: string) => `/app/schedule/availability?date=${d}`
  return (
    <>
      <p class="crumbs">
        <a href="/app/schedule">Schedule</a> / Free times
      </p>
      <h1>Free times on {longDate(date)}</h1>
      <form method="get" action="/app/schedule/availability" class="card">
        <Field label="Another day" name="date" type="date" value={date} />
        <button type="submit">Show free times</button>
      </form>
      <p>
        <a href={day(addDays(date, -1))}>← Day before</a> · <a href={day(addDays(date, 1))}>Day after →</a>
      </p>
      {days.length === 0 ? (
        <p class="muted" data-testid="no-crm">
          No connected CRM shares its schedule. <a href="/app/integrations">Connect one</a>
        </p>
      ) : (
        <ScheduleAvailability date={date} tz={tz} days={days} />
      )}
      <p>
        <a class="button" href={`/app/jobs/new?date=${date}`}>
          Book a job on {longDate(date)}
        </a>
      </p>
    </>
  )
}
