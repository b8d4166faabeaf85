/** One campaign: its message, a progress bar that polls while it sends, each recipient's status, and cancel. */
import type { Campaign, CampaignSendRow, SendStatus } from '../../durable-objects/org/campaigns/campaigns'
import { decided, STATUS_BADGE } from './list'
import { personName, stamp, words } from '../format'
import { CsrfField, useCanManage, useSession } from '../layout'

const FILTERS: Array<SendStatus | undefined> = [
  undefined,
  'pending',
  'queued',
  'sent',
  'delivered',
  'failed',
  'skipped',
]

/** After the last batch, keep polling a little while queued messages are handed to providers. */
const SETTLE_MS = 5 * 60_000

/** True while the numbers still move on their own: sending, or just finished with messages in the queue. */
export function isLive(c: Campaign, now = Date.now()): boolean {
  if (c.status === 'sending') return true
  return (
    c.status === 'sent' &&
    c.progress.queued > 0 &&
    c.finished_at !== null &&
    now - Date.parse(c.finished_at) < SETTLE_MS
  )
}

/** Anything not yet handed to a provider can still be stopped, including messages waiting for quiet hours to end. */
export const cancellable = (c: Campaign) =>
  c.status === 'draft' ||
  c.status === 'scheduled' ||
  c.status === 'sending' ||
  (c.status === 'sent' && c.progress.queued > 0)

type Props = { campaign: Campaign; sends: CampaignSendRow[]; filter?: SendStatus; serviceName?: string | null }

export function CampaignPage({ campaign: c, sends, filter, serviceName }: Props) {
  const tz = useSession().organization.timezone
  const s = c.segment
  const who =
    [
      s.status?.length ? `status ${s.status.join(' or ')}` : '',
      s.tags?.length ? `tagged ${s.tags.join(' or ')}` : '',
      serviceName ? `had ${serviceName}` : '',
      s.last_job_after ? `last job after ${s.last_job_after}` : '',
      s.last_job_before ? `last job before ${s.last_job_before}` : '',
      s.ltv_min_cents !== undefined ? `lifetime value at least $${s.ltv_min_cents / 100}` : '',
      s.ltv_max_cents !== undefined ? `lifetime value at most $${s.ltv_max_cents / 100}` : '',
      s.opted_in ? 'opted in themselves' : '',
    ]
      .filter(Boolean)
      .join(' · ') || 'every client'
  return (
    <>
      <p class="crumbs">
        <a href="/app/campaigns">Campaigns</a> / {c.name}
      </p>
      <div class="page-head">
        <div>
          <h1>{c.name}</h1>
          <p class="muted small">
            {c.channel === 'sms' ? 'Text message' : 'Email'} to {who}
          </p>
        </div>
        <div class="actions">
          <CampaignActions campaign={c} />
        </div>
      </div>
      <CampaignProgress campaign={c} tz={tz} />
      <section class="card">
        <h2>Message</h2>
        {c.subject ? (
          <p>
            <strong>{c.subject}</strong>
          </p>
        ) : null}
        <p class={c.channel === 'sms' ? 'sms-bubble' : 'email-body'}>{c.body}</p>
      </section>
      <section class="card" id="campaign-sends">
        <h2>Recipients</h2>
        <nav class="filters" aria-label="Filter by status">
          {FILTERS.map((f) => (
            <a
              href={f ? `/app/campaigns/${c.id}?status=${f}` : `/app/campaigns/${c.id}`}
              aria-current={f === filter ? 'page' : undefined}
            >
              {f ?? 'all'}
            </a>
          ))}
        </nav>
        <table class="table plain" data-testid="campaign-sends">
          <thead>
            <tr>
              <th>Client</th>
              <th>To</th>
              <th>Status</th>
              <th>Why</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {sends.length === 0 ? (
              <tr class="empty-row">
                <td colspan={5}>
                  {c.total === 0
                    ? 'Recipients are fixed when the campaign starts sending.'
                    : 'No recipients with this status.'}
                </td>
              </tr>
            ) : (
              sends.map((r) => (
                <tr>
                  <td data-label="Client">
                    <a href={`/app/clients/${r.org_client_id}`}>{personName(r)}</a>
                  </td>
                  <td data-label="To">{r.to ?? '—'}</td>
                  <td data-label="Status">
                    <span class={`badge badge-msg-${r.status}`}>{r.status}</span>
                  </td>
                  <td data-label="Why">{r.reason ? words(r.reason) : ''}</td>
                  <td data-label="Updated">{stamp(r.updated_at, tz)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </section>
    </>
  )
}

/** A draft or scheduled campaign goes through the confirm step (count, message, test) to send; cancel anything not yet sent (confirmed first). */
function CampaignActions({ campaign: c }: { campaign: Campaign }) {
  const canManage = useCanManage()
  return (
    <div class="button-row">
      {c.status === 'draft' || c.status === 'scheduled' ? (
        <a class={c.status === 'draft' ? 'button primary' : 'button'} href={`/app/campaigns/${c.id}/confirm`}>
          {c.status === 'draft' ? 'Check and send' : 'Check or change the time'}
        </a>
      ) : null}
      {cancellable(c) && canManage ? (
        <form
          method="post"
          action={`/app/campaigns/${c.id}/cancel`}
          hx-post={`/app/campaigns/${c.id}/cancel`}
          hx-confirm="Cancel this campaign? Nobody else gets it."
        >
          <CsrfField />
          <button type="submit" class="danger">
            Cancel campaign
          </button>
        </form>
      ) : null}
    </div>
  )
}

/** Status and progress; while the campaign sends it asks again every 2 seconds, and stops once done. */
export function CampaignProgress({ campaign: c, tz }: { campaign: Campaign; tz: string }) {
  const p = c.progress
  const live = isLive(c)
  return (
    <section
      class="card"
      id="campaign-progress"
      aria-live="polite"
      data-status={c.status}
      hx-get={live ? `/app/campaigns/${c.id}/progress` : undefined}
      hx-trigger={live ? 'every 2s' : undefined}
      hx-swap={live ? 'outerHTML' : undefined}
    >
      <h2>
        <span class={`badge ${STATUS_BADGE[c.status]}`} data-testid="campaign-status">
          {c.status}
        </span>{' '}
        {when(c, tz)}
      </h2>
      {c.total > 0 ? (
        <>
          <progress max={c.total} value={decided(c)} aria-label="Recipients decided" style="width: 100%" />
          <p data-testid="campaign-progress">
            {decided(c)} of {c.total} decided · {p.queued} queued · {p.sent} sent · {p.delivered} delivered · {p.failed}{' '}
            failed · {p.skipped} skipped
          </p>
        </>
      ) : (
        <p class="muted">
          {c.status === 'sent' ? 'Nobody matched the segment.' : 'Recipients are fixed when sending starts.'}
        </p>
      )}
    </section>
  )
}

function when(c: Campaign, tz: string): string {
  if (c.status === 'scheduled' && c.send_at) return `for ${stamp(c.send_at, tz)}`
  if (c.status === 'cancelled' && c.cancelled_at) return `on ${stamp(c.cancelled_at, tz)}`
  if (c.status === 'sent' && c.finished_at) return `on ${stamp(c.finished_at, tz)}`
  if (c.status === 'sending' && c.started_at) return `since ${stamp(c.started_at, tz)}`
  return ''
}
