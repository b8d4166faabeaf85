/** Settings › Messaging › Reminder lead times: how long before a visit and before an invoice is due reminders go out. */
import type { LeadTimes } from '../../durable-objects/org/crm/reminders'
import { FormAlert, type FormErrors, type FormValues } from '../fields'
import { CsrfField, Field, useCanManage } from '../layout'

/** The form as it came back (errors beside the fields) or was just saved (a notice). */
export type LeadTimesState = { values?: FormValues; errors?: FormErrors; notice?: string }

const list = (values: number[]) => values.join(', ')

/** The lead-times section; saving swaps it in place. */
export function LeadTimesSection({
  leadTimes,
  values,
  errors = {},
  notice,
}: { leadTimes: LeadTimes } & LeadTimesState) {
  const hours = values?.['job_hours_before'] ?? list(leadTimes.job_hours_before)
  const days = values?.['invoice_days_before'] ?? list(leadTimes.invoice_days_before)
  return (
    <section class="card" id="reminder-lead-times">
      <h2>When reminders go out</h2>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <p class="muted">
        A visit booked after its first reminder's time still gets the later ones. Changing the hours re-plans the
        reminders of visits still to come; one already sent is never sent again.
      </p>
      {useCanManage() ? (
        <form
          method="post"
          action="/app/settings/reminders"
          hx-post="/app/settings/reminders"
          hx-target="#reminder-lead-times"
          hx-swap="outerHTML"
          novalidate
        >
          <CsrfField />
          <FormAlert errors={errors} />
          <Field
            label="Remind clients before a visit (hours)"
            name="job_hours_before"
            value={hours}
            error={errors['job_hours_before']}
            inputmode="text"
            hint="Up to 10, from 1 to 720 hours (30 days), like 48, 24, 2."
          />
          <Field
            label="Remind clients before an invoice is due (days)"
            name="invoice_days_before"
            value={days}
            error={errors['invoice_days_before']}
            inputmode="text"
            hint="0 is the due date itself; reminders go out at 9:00, like 2, 0."
          />
          <button type="submit">Save reminder times</button>
        </form>
      ) : (
        <p>
          {list(leadTimes.job_hours_before)} hours before a visit; {list(leadTimes.invoice_days_before)} days before an
          invoice is due.
        </p>
      )}
    </section>
  )
}
