/** The forms on an integration card: connect (OAuth, or ServiceTitan's credentials) and a business's own webhook secret. */
import type { ConnectionView } from '../../durable-objects/org/integrations/connections'
import type { Provider } from '../../durable-objects/org/schema'
import type { CardError } from './page'
import { CsrfField, Field } from '../layout'

const NAMES: Record<Provider, string> = {
  jobber: 'Jobber',
  housecallpro: 'Housecall Pro',
  servicetitan: 'ServiceTitan',
  quickbooks: 'QuickBooks',
}

/** Connect or reconnect: a button to the provider's consent page, or ServiceTitan's tenant form. */
export function ConnectForm(props: { provider: Provider; connection: ConnectionView | null; error?: CardError }) {
  const c = props.connection
  const action = `/app/integrations/${props.provider}/connect`
  if (props.provider !== 'servicetitan') {
    const again = c?.auth === 'oauth'
    return (
      <form method="post" action={action} class="inline-form">
        <CsrfField />
        <button type="submit" class={again ? undefined : 'primary'}>
          {again ? `Reconnect ${NAMES[props.provider]}` : `Connect ${NAMES[props.provider]}`}
        </button>
      </form>
    )
  }
  const e = props.error?.form === 'connect' ? props.error : undefined
  return (
    <details class="edit" open={c?.status !== 'connected' || Boolean(e)}>
      <summary>{c?.status === 'connected' ? 'Change tenant or credentials' : 'Connect ServiceTitan'}</summary>
      <form method="post" action={action}>
        <CsrfField />
        <Field
          label="Tenant id"
          name="tenant_id"
          id="st-tenant"
          required
          value={e?.values?.tenant_id ?? c?.settings.tenant_id ?? ''}
          error={e?.field === 'tenant_id' ? e.message : undefined}
        />
        <Field
          label="Client id"
          name="client_id"
          id="st-client-id"
          value={e?.values?.client_id ?? ''}
          autocomplete="off"
          hint="From ServiceTitan's Integrations › API Application Access for HomeBase. Leave empty to use HomeBase's own."
          error={e?.field === 'client_id' ? e.message : undefined}
        />
        <Field label="Client secret" name="client_secret" id="st-client-secret" type="password" autocomplete="off" />
        <button type="submit">Connect ServiceTitan</button>
      </form>
    </details>
  )
}

/** For a business with its own provider app: the webhook secret (or HMAC key) its webhooks are signed with. */
export function SecretForm(props: { provider: Provider; error?: CardError }) {
  const e = props.error?.form === 'secret' ? props.error : undefined
  const id = (name: string) => `${props.provider}-${name}`
  return (
    <details class="edit" open={Boolean(e)}>
      <summary>Use your own app's webhook secret</summary>
      <form method="post" action={`/app/integrations/${props.provider}/webhook-secret`}>
        <CsrfField />
        <Field
          label="Webhook secret"
          name="webhook_secret"
          id={id('secret')}
          type="password"
          required
          autocomplete="off"
          hint="Stored encrypted; it is never shown again."
          error={e?.field === 'webhook_secret' ? e.message : undefined}
        />
        <Field label="Account id (optional)" name="account_id" id={id('account')} value={e?.values?.account_id ?? ''} />
        <button type="submit">Save webhook secret</button>
      </form>
    </details>
  )
}
