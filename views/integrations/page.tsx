/** The Integrations page: a card per CRM or accounting provider with its status, log and scheduling settings. */
import type { CachedKind } from '../../durable-objects/org/integrations/cache'
import type { ConnectionView } from '../../durable-objects/org/integrations/connections'
import type { SyncRow } from '../../durable-objects/org/integrations/sync-log'
import type { ProviderOverview } from '../../durable-objects/org/integrations/connections-module'
import type { Provider } from '../../durable-objects/org/schema'
import { KINDS_OF } from '../../src/integrations/scheduling'
import { stamp, words } from '../format'
import { ConnectForm, SecretForm } from './forms'
import { ServiceMapForm, SyncSettingsForm } from './settings'
import { CsrfField, useCanManage, useSession } from '../layout'

export const PROVIDER_NAMES: Record<Provider, string> = {
  jobber: 'Jobber',
  housecallpro: 'Housecall Pro',
  servicetitan: 'ServiceTitan',
  quickbooks: 'QuickBooks Online',
}

const BLURBS: Record<Provider, string> = {
  jobber: 'Clients, jobs, visits, invoices and payments from Jobber; texts go back to Jobber as client notes.',
  housecallpro: 'Customers and jobs from Housecall Pro; texts go back as customer notes.',
  servicetitan: 'Customers and jobs from ServiceTitan; texts go back as customer notes.',
  quickbooks: 'Customers, invoices and payments from QuickBooks Online.',
}

/** A problem to show on one card: a form that did not validate (`field` names the input) or a connect that failed. */
export type CardError = {
  provider: Provider
  form: 'connect' | 'secret' | 'card'
  message: string
  field?: string
  values?: Record<string, string>
}

export function IntegrationsPage(props: { cards: ProviderOverview[]; notice?: string; error?: CardError }) {
  return (
    <>
      <h1>Integrations</h1>
      <p class="muted">
        Connect the software your business already runs on: its clients, jobs and payments arrive here on their own,
        journeys start from them, and texts you send are noted back in the CRM.
      </p>
      {props.notice ? (
        <p class="notice" role="status" data-testid="notice">
          {props.notice}
        </p>
      ) : null}
      <div class="grid-2">
        {props.cards.map((card) => (
          <ProviderCard card={card} error={props.error?.provider === card.provider ? props.error : undefined} />
        ))}
      </div>
    </>
  )
}

type Badge = { label: string; class: string }

/** The status staff read on the card. */
export function badgeOf(c: ConnectionView | null): Badge {
  if (!c || c.status === 'disconnected') return { label: 'not connected', class: 'badge-inactive' }
  if (c.status === 'connected') return { label: 'connected', class: 'badge-active' }
  if (c.status === 'pending') return { label: 'connecting', class: 'badge-pending' }
  return { label: 'reconnect needed', class: 'badge-blocked' }
}

/** One provider's card; disconnecting swaps it for its new state. */
export function ProviderCard(props: { card: ProviderOverview; error?: CardError }) {
  const { provider, connection: c, log } = props.card
  const tz = useSession().organization.timezone
  const badge = badgeOf(c)
  const live = c && c.status !== 'disconnected'
  const canManage = useCanManage()
  return (
    <section class="card" id={`card-${provider}`} data-testid={`card-${provider}`}>
      <h2>
        {PROVIDER_NAMES[provider]}{' '}
        <span class={`badge ${badge.class}`} data-testid="status">
          {badge.label}
        </span>
      </h2>
      <p class="muted">{BLURBS[provider]}</p>
      {props.error && !props.error.field ? (
        <p class="alert" role="alert">
          {props.error.message}
        </p>
      ) : null}
      {live ? (
        <dl class="facts">
          <dt>Account</dt>
          <dd data-testid="account">{c.account_name ?? c.account_id ?? '—'}</dd>
          <dt>Last event</dt>
          <dd>{c.last_event_at ? stamp(c.last_event_at, tz) : 'none yet'}</dd>
          <dt>Last sync</dt>
          <dd>{c.last_sync_at ? stamp(c.last_sync_at, tz) : 'none yet'}</dd>
          {c.status !== 'connected' && c.last_error ? (
            <>
              <dt>Problem</dt>
              <dd class="danger-text">{c.last_error}</dd>
            </>
          ) : null}
          <dt>Webhook URL</dt>
          <dd>
            <code class="secret" data-testid="webhook-url">
              {c.webhook_url}
            </code>
          </dd>
        </dl>
      ) : null}
      {canManage ? <ConnectForm provider={provider} connection={live ? c : null} error={props.error} /> : null}
      {canManage && live ? (
        <form
          method="post"
          action={`/app/integrations/${c.id}/disconnect`}
          hx-post={`/app/integrations/${c.id}/disconnect`}
          hx-target={`#card-${provider}`}
          hx-swap="outerHTML"
          hx-confirm={`Disconnect ${PROVIDER_NAMES[provider]}? Its webhooks stop and its tokens are erased.`}
        >
          <CsrfField />
          <button type="submit" class="danger">
            Disconnect
          </button>
        </form>
      ) : null}
      {canManage ? <SecretForm provider={provider} error={props.error} /> : null}
      {live && provider !== 'quickbooks' ? <SyncSettingsForm connection={c} canManage={canManage} /> : null}
      {live && c.status === 'connected' && KINDS_OF[provider].length > 0 ? (
        <div hx-get={`/app/integrations/${c.id}/config`} hx-trigger="load" aria-live="polite">
          <p class="muted small">
            <a href={`/app/integrations/${c.id}/config`}>Scheduling settings and job types</a>
          </p>
        </div>
      ) : null}
      {log.length > 0 ? <SyncLog rows={log} tz={tz} /> : null}
    </section>
  )
}

const KIND_LABELS: Record<Provider, Partial<Record<CachedKind['kind'], string>>> = {
  jobber: { job_types: 'Products and services', technicians: 'Team' },
  housecallpro: { job_types: 'Job types', technicians: 'Employees' },
  servicetitan: { job_types: 'Job types', business_units: 'Business units', technicians: 'Technicians' },
  quickbooks: {},
}

/** What the job type → service map needs beside the cached job types. */
export type ServiceMapping = { connection: ConnectionView; services: { id: string; name: string }[]; notice?: string }

/** The cached scheduling configuration, loaded when the card opens, with the job type → service map. */
export function SchedulingConfig(props: {
  provider: Provider
  kinds: CachedKind[]
  tz: string
  mapping?: ServiceMapping
}) {
  const jobTypes = props.kinds.find((k) => k.kind === 'job_types')?.items ?? []
  const canManage = useCanManage()
  return (
    <div class="stack" data-testid="scheduling-config">
      <h3>Scheduling settings</h3>
      {props.kinds.map((k) => (
        <div>
          <strong>{KIND_LABELS[props.provider][k.kind] ?? words(k.kind)}</strong>{' '}
          {k.items === null ? (
            <span class="muted">not available</span>
          ) : k.items.length === 0 ? (
            <span class="muted">none</span>
          ) : (
            <span class="chips">
              {k.items.slice(0, 30).map((i) => (
                <span class="chip">{i.name}</span>
              ))}
            </span>
          )}
          {k.fetched_at ? <span class="muted small"> · as of {stamp(k.fetched_at, props.tz)}</span> : null}
        </div>
      ))}
      {props.mapping && jobTypes.length > 0 ? (
        <ServiceMapForm
          connection={props.mapping.connection}
          jobTypes={jobTypes}
          services={props.mapping.services}
          canManage={canManage}
          notice={props.mapping.notice}
        />
      ) : null}
    </div>
  )
}

const STEP_LABELS: Record<string, string> = {
  oauth: 'Authorization',
  account: 'Account lookup',
  connect: 'Connected',
  refresh: 'Token refresh',
  disconnect: 'Disconnected',
  push: 'Note to CRM',
  link: 'Linked',
  unlink: 'Unlinked',
  sync: 'Sync now',
}

/** Sync-log rows, newest first (also on a client's CRM card). */
export function SyncLog(props: { rows: SyncRow[]; tz: string; title?: string }) {
  return (
    <>
      <h3>{props.title ?? 'Recent activity'}</h3>
      <ul class="rows" data-testid="sync-log">
        {props.rows.map((r) => (
          <li class="row">
            <div class="row-main">
              <span
                class={`badge ${r.status === 'ok' ? 'badge-active' : r.status === 'error' ? 'badge-blocked' : 'badge-lead'}`}
              >
                {r.status}
              </span>{' '}
              <strong>{STEP_LABELS[r.step] ?? words(r.step)}</strong>
              {r.topic ? ` · ${words(r.topic)}` : ''}
              {r.attempt > 1 ? <span class="muted small"> · attempt {r.attempt}</span> : null}
              {r.detail ? <div class="muted small">{r.detail}</div> : null}
              <div class="muted small">{stamp(r.at, props.tz)}</div>
            </div>
          </li>
        ))}
      </ul>
    </>
  )
}
