/** The new-campaign form: who (segment), what (message), when (now or at a time), and a live count of who it reaches. */
import type { Preview } from '../../durable-objects/org/campaigns/segments'
import type { Service } from '../../durable-objects/org/crm/services'
import { FormAlert, SelectField, TextareaField, type FormErrors, type FormValues } from '../fields'
import { CsrfField, Field, useSession } from '../layout'
import { statusOptions } from '../format'

type Props = { services: Service[]; values: FormValues; errors: FormErrors }

export function NewCampaignPage(props: Props) {
  return (
    <>
      <p class="crumbs">
        <a href="/app/campaigns">Campaigns</a> / New
      </p>
      <h1>New campaign</h1>
      <CampaignForm {...props} />
    </>
  )
}

/** The form; a failed post comes back filled in, errors beside the fields. `status` holds the ticked statuses, comma-separated. */
export function CampaignForm({ services, values: v, errors: e }: Props) {
  const channel = v['channel'] === 'email' ? 'email' : 'sms'
  const when = v['when'] === 'later' ? 'later' : 'now'
  const statuses = (v['status'] ?? '').split(',')
  const tz = useSession().organization.timezone
  return (
    <form class="card form-card" method="post" action="/app/campaigns" novalidate>
      <CsrfField />
      <FormAlert errors={e} />
      <Field
        label="Name (only you see it)"
        name="name"
        value={v['name']}
        error={e['name']}
        required
        placeholder="e.g. Spring gutter special"
        autocomplete="off"
      />
      <div id="campaign-audience">
        <Segmented
          label="Channel"
          name="channel"
          value={channel}
          options={[
            ['sms', 'Text message'],
            ['email', 'Email'],
          ]}
        />
        <fieldset>
          <legend>Who gets it</legend>
          <p class="hint">Every filter narrows the list; leave them empty to reach every client.</p>
          <fieldset class="checks" aria-label="Client status">
            {statusOptions('many').map(({ value, label }) => (
              <label>
                <input type="checkbox" name="status" value={value} checked={statuses.includes(value)} /> {label}
              </label>
            ))}
          </fieldset>
          <div class="cols-2">
            <Field
              label="Has any of these tags (comma-separated)"
              name="tags"
              value={v['tags']}
              error={e['tags']}
              placeholder="vip, weekly"
              autocomplete="off"
            />
            <SelectField
              label="Has had this service"
              name="service_id"
              value={v['service_id']}
              error={e['service_id']}
              options={[{ value: '', label: 'Any service' }, ...services.map((s) => ({ value: s.id, label: s.name }))]}
            />
            <Field
              label="Last job after"
              name="last_job_after"
              type="date"
              value={v['last_job_after']}
              error={e['last_job_after']}
            />
            <Field
              label="Last job before"
              name="last_job_before"
              type="date"
              value={v['last_job_before']}
              error={e['last_job_before']}
            />
            <Field
              label="Lifetime value at least ($)"
              name="ltv_min"
              inputmode="decimal"
              value={v['ltv_min']}
              error={e['ltv_min']}
              placeholder="500"
            />
            <Field
              label="Lifetime value at most ($)"
              name="ltv_max"
              inputmode="decimal"
              value={v['ltv_max']}
              error={e['ltv_max']}
            />
          </div>
          <div class="checks">
            <label>
              <input type="checkbox" name="opted_in" value="on" checked={v['opted_in'] === 'on'} /> Only clients who
              opted in to this channel themselves
            </label>
          </div>
        </fieldset>
      </div>
      {/* Counts again 300 ms after typing stops or at once on a tick; a newer count replaces one still on its way (htmx 4 would otherwise drop it). */}
      <div
        id="campaign-preview"
        class="preview notice"
        aria-live="polite"
        hx-post="/app/campaigns/preview"
        hx-trigger="load, input changed delay:300ms from:'#campaign-audience', change changed from:'#campaign-audience'"
        hx-sync="this:replace"
        hx-include="closest form"
      >
        Counting…
      </div>
      <fieldset>
        <legend>Message</legend>
        <Field label="Subject (emails)" name="subject" value={v['subject']} error={e['subject']} autocomplete="off" />
        <TextareaField
          label="Message"
          name="body"
          rows={5}
          value={v['body']}
          error={e['body']}
          placeholder="Hi {{first_name}}, {{business_name}} has spring openings. Book: {{portal_link}}"
        />
        <p class="hint">
          Variables: {'{{first_name}} {{business_name}} {{portal_link}} {{review_link}}'} (asks for a review, sent only
          once your public review link is set). Texts end with "Reply STOP to opt out."; emails with a one-click
          unsubscribe link.
        </p>
      </fieldset>
      <fieldset>
        <legend>When</legend>
        <Segmented
          label="When"
          name="when"
          value={when}
          options={[
            ['now', 'Send now'],
            ['later', 'Schedule'],
          ]}
        />
        <Field
          label={`Send at (${tz})`}
          name="send_at"
          type="datetime-local"
          value={v['send_at']}
          error={e['send_at']}
          hint="Used when you pick Schedule. Nothing is sent before you check the message and the count on the next page."
        />
      </fieldset>
      <div class="form-actions">
        <button type="submit" class="primary">
          Next: check and send
        </button>
        <a href="/app/campaigns" class="button">
          Back to campaigns
        </a>
      </div>
    </form>
  )
}

/** The live count: how many clients match and how many would receive it now, and why the others would not. */
export function CampaignPreview({ preview, error }: { preview?: Preview; error?: string }) {
  if (!preview)
    return (
      <p class="muted" data-testid="campaign-preview">
        {error ?? 'Fix the fields marked to see who it reaches.'}
      </p>
    )
  const x = preview.excluded
  return (
    <div data-testid="campaign-preview">
      <p>
        <strong data-testid="preview-will-receive">{preview.will_receive}</strong> will receive it ·{' '}
        <strong data-testid="preview-matched">{preview.matched}</strong>{' '}
        {preview.matched === 1 ? 'client matches' : 'clients match'}
      </p>
      <p class="muted small">
        Left out: {x.opted_out} opted out · {x.missing_contact} without the contact detail · {x.capped} already had
        their marketing message today
      </p>
    </div>
  )
}

/** Radio buttons drawn as one segmented control; ids are `<name>-<value>`. */
function Segmented(props: { label: string; name: string; value: string; options: Array<[string, string]> }) {
  return (
    <div class="segmented" role="radiogroup" aria-label={props.label}>
      {props.options.map(([value, text]) => (
        <>
          <input
            type="radio"
            id={`${props.name}-${value}`}
            name={props.name}
            value={value}
            checked={props.value === value}
          />
          <label for={`${props.name}-${value}`}>{text}</label>
        </>
      ))}
    </div>
  )
}
