/** The booking form's "Repeats" fields (how often, and until when) and its "Send a confirmation" box. */
import { type FormErrors, type FormValues, SelectField } from '../fields'
import { Field } from '../layout'

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

/** "2nd Tuesday" / "last Friday" and "day 14" for a YYYY-MM-DD date, or null when there is none. */
export function monthlyWords(date: string | undefined): { day: string; weekday: string } | null {
  const d = date && /^\d{4}-\d{2}-\d{2}/.test(date) ? new Date(`${date.slice(0, 10)}T00:00:00Z`) : null
  if (!d || Number.isNaN(d.getTime())) return null
  const n = Math.ceil(d.getUTCDate() / 7)
  const nth = n === 5 ? 'last' : ['1st', '2nd', '3rd', '4th'][n - 1]!
  return { day: `day ${d.getUTCDate()}`, weekday: `${nth} ${DAY_NAMES[d.getUTCDay()]}` }
}

/** How often the visit repeats and when it stops; the page's CSS shows only the fields the choice needs. */
export function RepeatFields({ values: v, errors: e }: { values: FormValues; errors: FormErrors }) {
  const monthly = monthlyWords(v['start'])
  return (
    <fieldset class="repeat">
      <legend>Repeats</legend>
      <div class="cols-2">
        <SelectField
          label="How often"
          name="repeats"
          value={v['repeats'] ?? 'never'}
          error={e['repeats']}
          options={[
            { value: 'never', label: 'Does not repeat' },
            { value: 'weekly', label: 'Every week' },
            { value: 'every_2_weeks', label: 'Every 2 weeks' },
            { value: 'every_n_weeks', label: 'Every few weeks…' },
            { value: 'monthly_day', label: `Monthly on the same date${monthly ? ` (${monthly.day})` : ''}` },
            {
              value: 'monthly_weekday',
              label: `Monthly on the same weekday${monthly ? ` (the ${monthly.weekday})` : ''}`,
            },
          ]}
        />
        <div class="repeat-weeks">
          <Field
            label="Every how many weeks"
            name="every_weeks"
            type="number"
            inputmode="numeric"
            min="1"
            max="12"
            value={v['every_weeks']}
            error={e['every_weeks']}
          />
        </div>
        <div class="repeat-ends">
          <SelectField
            label="Ends"
            name="ends"
            value={v['ends'] ?? 'never'}
            error={e['ends']}
            options={[
              { value: 'never', label: 'Keeps going' },
              { value: 'after', label: 'After a number of visits' },
              { value: 'on', label: 'On a date' },
            ]}
          />
        </div>
        <div class="repeat-count">
          <Field
            label="Number of visits"
            name="ends_count"
            type="number"
            inputmode="numeric"
            min="1"
            max="200"
            value={v['ends_count']}
            error={e['ends_count']}
          />
        </div>
        <div class="repeat-until">
          <Field label="Last date" name="ends_on" type="date" value={v['ends_on']} error={e['ends_on']} />
        </div>
      </div>
    </fieldset>
  )
}

/** Ticked unless the person unticked it; `notify_shown` tells an unticked box from a form without it. */
export function NotifyField({ values: v }: { values: FormValues }) {
  const checked = v['notify_shown'] ? v['notify'] !== undefined : true
  return (
    <div class="checks">
      <input type="hidden" name="notify_shown" value="1" />
      <label>
        <input type="checkbox" name="notify" value="1" checked={checked} /> Send a confirmation to the client
      </label>
    </div>
  )
}
