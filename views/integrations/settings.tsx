/** A connection's sync settings on its card (seed 003's CRM settings) and the job type → service map. */
import type { ConnectionView } from '../../durable-objects/org/integrations/connections'
import { CRM_STOP_EVENTS, type CrmStopEvent } from '../../durable-objects/org/integrations/connection-settings'
import type { ConfigItem } from '../../src/integrations/scheduling'
import { SelectField } from '../fields'
import { CsrfField } from '../layout'

const STOP_LABELS: Record<CrmStopEvent, string> = {
  job_booked: 'A job is booked',
  job_completed: 'A job is completed',
  customer_contacted: 'The customer is marked contacted',
  invoice_paid: 'An invoice is paid',
}

/** The checkboxes: what goes to the CRM, and which of its events end journeys. Members see them read-only. */
export function SyncSettingsForm(props: { connection: ConnectionView; canManage: boolean; notice?: string }) {
  const c = props.connection
  const s = c.settings
  const action = `/app/integrations/${c.id}/settings`
  const box = (name: 'sync_messages' | 'sync_calls' | 'push_new_clients', label: string) => (
    <label class="check">
      <input type="checkbox" name={name} value="on" checked={s[name]} disabled={!props.canManage} /> {label}
    </label>
  )
  return (
    <form
      method="post"
      action={action}
      hx-post={action}
      hx-target="this"
      hx-swap="outerHTML"
      class="stack"
      id={`settings-${c.id}`}
      data-testid="sync-settings"
    >
      <CsrfField />
      <h3>Sync settings</h3>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <fieldset class="checks">
        <legend>Send to the CRM</legend>
        {box('sync_messages', 'Texts, as notes on the customer')}
        {box('sync_calls', 'Calls, as notes on the customer')}
        {box('push_new_clients', 'New and changed clients, as customers')}
      </fieldset>
      <fieldset class="checks">
        <legend>End a client's journeys and campaigns when, in the CRM…</legend>
        {CRM_STOP_EVENTS.map((e) => (
          <label class="check">
            <input
              type="checkbox"
              name="stop_journeys_on"
              value={e}
              checked={s.stop_journeys_on.includes(e)}
              disabled={!props.canManage}
            />{' '}
            {STOP_LABELS[e]}
          </label>
        ))}
      </fieldset>
      {props.canManage ? <button type="submit">Save sync settings</button> : null}
    </form>
  )
}

/** One select per CRM job type: the service a job of that type gets here. */
export function ServiceMapForm(props: {
  connection: ConnectionView
  jobTypes: ConfigItem[]
  services: { id: string; name: string }[]
  canManage: boolean
  notice?: string
  error?: string
}) {
  const c = props.connection
  const action = `/app/integrations/${c.id}/service-map`
  const options = [{ value: '', label: 'No service' }, ...props.services.map((s) => ({ value: s.id, label: s.name }))]
  return (
    <form
      method="post"
      action={action}
      hx-post={action}
      hx-target="this"
      hx-swap="outerHTML"
      class="stack"
      id={`service-map-${c.id}`}
      data-testid="service-map"
    >
      <CsrfField />
      <h3>Job types and our services</h3>
      <p class="muted small">
        A job that arrives from the CRM with one of these types is booked here as the service chosen.
      </p>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      {props.error ? (
        <p class="alert" role="alert">
          {props.error}
        </p>
      ) : null}
      {props.jobTypes.map((t) => (
        <SelectField
          label={t.name}
          name={`job_type:${t.id}`}
          id={`map-${c.id}-${t.id}`}
          options={options}
          value={c.settings.service_map[t.id] ?? ''}
        />
      ))}
      {props.canManage ? <button type="submit">Save service map</button> : null}
    </form>
  )
}
