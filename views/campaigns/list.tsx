/** Campaigns: the list with each one's progress, and the owner's sending settings (batch size, marketing cap). */
import type { Campaign } from '../../durable-objects/org/campaigns/campaigns'
import type { CampaignSettings } from '../../durable-objects/org/campaigns/module'
import { FormAlert, type FormErrors, type FormValues } from '../fields'
import { stamp } from '../format'
import { CsrfField, Field, useSession } from '../layout'

/** The badge class of a campaign's status, reusing the app's colours. */
export const STATUS_BADGE: Record<Campaign['status'], string> = {
  draft: 'badge-draft',
  scheduled: 'badge-scheduled',
  sending: 'badge-in_progress',
  sent: 'badge-completed',
  cancelled: 'badge-canceled',
}

/** How many of a campaign's recipients have been decided (queued, sent, delivered, failed or skipped). */
export const decided = (c: Campaign) => c.progress.total - c.progress.pending

type Props = {
  campaigns: Campaign[]
  settings: CampaignSettings
  values?: FormValues
  errors?: FormErrors
  saved?: boolean
}

export function CampaignsPage(props: Props) {
  const session = useSession()
  const tz = session.organization.timezone
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Campaigns</h1>
          <p class="muted small">One message to a group of clients, by text or email, now or at a time you pick.</p>
        </div>
        <div class="actions">
          <a class="button primary" href="/app/campaigns/new">
            New campaign
          </a>
        </div>
      </div>
      <table class="table" data-testid="campaigns" style="margin-bottom: 1.2rem">
        <thead>
          <tr>
            <th>Name</th>
            <th>Channel</th>
            <th>Status</th>
            <th>Progress</th>
            <th>When</th>
          </tr>
        </thead>
        <tbody>
          {props.campaigns.length === 0 ? (
            <tr class="empty-row">
              <td colspan={5}>No campaigns yet.</td>
            </tr>
          ) : (
            props.campaigns.map((c) => (
              <tr data-campaign-id={c.id}>
                <td data-label="Name">
                  <a href={`/app/campaigns/${c.id}`} class="strong">
                    {c.name}
                  </a>
                </td>
                <td data-label="Channel">{c.channel.toUpperCase()}</td>
                <td data-label="Status">
                  <span class={`badge ${STATUS_BADGE[c.status]}`}>{c.status}</span>
                </td>
                <td data-label="Progress">
                  {c.total > 0 ? (
                    <>
                      <progress max={c.total} value={decided(c)} aria-label={`${c.name} progress`} /> {decided(c)} of{' '}
                      {c.total}
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td data-label="When">{c.send_at ? stamp(c.send_at, tz) : 'Not sent'}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      {session.role === 'owner' ? <SettingsForm {...props} /> : null}
    </>
  )
}

function SettingsForm({ settings, values, errors, saved }: Props) {
  const v = values ?? {}
  const e = errors ?? {}
  return (
    <section class="card" id="campaign-settings">
      <h2>Sending settings</h2>
      {saved ? (
        <p class="notice" role="status">
          Saved.
        </p>
      ) : null}
      <form method="post" action="/app/campaigns/settings" novalidate>
        <CsrfField />
        <FormAlert errors={e} />
        <div class="cols-2">
          <Field
            label="Recipients per minute"
            name="campaign_batch_size"
            type="number"
            inputmode="numeric"
            min="1"
            max="1000"
            value={v['campaign_batch_size'] ?? String(settings.campaign_batch_size)}
            error={e['campaign_batch_size']}
            hint="A campaign goes out in batches of this size, one batch a minute."
          />
          <Field
            label="Marketing messages per client per day"
            name="marketing_cap_per_day"
            type="number"
            inputmode="numeric"
            min="1"
            max="20"
            value={v['marketing_cap_per_day'] ?? String(settings.marketing_cap_per_day)}
            error={e['marketing_cap_per_day']}
            hint="Counts campaigns, journeys and review requests. A campaign skips clients who reached it."
          />
        </div>
        <button type="submit" class="primary">
          Save settings
        </button>
      </form>
    </section>
  )
}
