/**
 * Settings: one page for the business (name, phone, address, time zone, wordmark, tax), payments,
 * reviews and messaging, each section with its own anchor and form, then API keys and team invites
 * (the Team page, views/settings/team.tsx, lists everyone).
 */
import type { PaymentSettings } from '../durable-objects/org/settings'
import type { ApiKeyRow } from '../src/auth/api-keys'
import type { ZoneOption } from '../src/timezones'
import type { FormErrors, FormValues } from './fields'
import { CsrfField, useCanManage, useSession } from './layout'
import { BusinessSection, type OrgView } from './settings/business'
import { ExportSection } from './settings/export'
import { MessagingSection } from './settings/messaging'
import { PaymentsSection } from './settings/payments'
import { ReviewsSection } from './settings/reviews'

/** Server settings an owner must ask their administrator for, each with what goes wrong without it. */
export type MissingSetting = { name: string; effect: string }

/** A section's form as it came back (errors beside the fields) or was just saved (a notice). */
export type SectionState = { values?: FormValues; errors?: FormErrors; notice?: string }
export type SettingsSection = 'business' | 'payments' | 'reviews' | 'messaging'

export type SettingsProps = {
  org: OrgView
  payments: PaymentSettings
  stripeReady: boolean
  zones: ZoneOption[]
  keys: ApiKeyRow[]
  missing?: MissingSetting[]
  sections?: Partial<Record<SettingsSection, SectionState>>
}

const ANCHORS: Array<[string, string]> = [
  ['#business', 'Business'],
  ['#payments', 'Payments'],
  ['#reviews', 'Reviews'],
  ['#messaging', 'Messaging'],
]

export function SettingsPage(props: SettingsProps) {
  const { org, sections = {}, missing = [] } = props
  const session = useSession()
  const canManage = useCanManage()
  const reviews = sections.reviews
  const messaging = sections.messaging
  return (
    <>
      <h1>Settings</h1>
      <nav class="chips" aria-label="Settings sections">
        {ANCHORS.map(([href, label]) => (
          <a class="chip" href={href}>
            {label}
          </a>
        ))}
        <a class="chip" href="/app/settings/team">
          Team
        </a>
        {session.role === 'owner' ? (
          <a class="chip" href="#api-keys">
            API keys
          </a>
        ) : null}
        {session.role === 'owner' ? (
          <a class="chip" href="/app/billing">
            Billing
          </a>
        ) : null}
      </nav>
      {canManage && missing.length > 0 ? (
        <section class="card" data-testid="missing-settings" role="alert">
          <h2>Needs attention</h2>
          <ul>
            {missing.map((m) => (
              <li>
                <code>{m.name}</code> is not set: {m.effect}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <BusinessSection org={org} zones={props.zones} {...sections.business} />
      <PaymentsSection settings={props.payments} stripeReady={props.stripeReady} {...sections.payments} />
      <ReviewsSection
        url={org.google_review_url}
        value={reviews?.values?.['google_review_url']}
        error={reviews?.errors?.['google_review_url']}
        notice={reviews?.notice}
      />
      <MessagingSection
        smsFrom={org.sms_from}
        value={messaging?.values?.['sms_from']}
        error={messaging?.errors?.['sms_from']}
        notice={messaging?.notice}
      />
      {session.role === 'owner' ? <ApiKeysSection keys={props.keys} /> : null}
      {canManage ? <InviteSection /> : null}
      {canManage ? <ExportSection /> : null}
    </>
  )
}

function ApiKeysSection({ keys }: { keys: ApiKeyRow[] }) {
  return (
    <section class="card" id="api-keys">
      <h2>API keys</h2>
      <p class="muted">
        Other programs use a key as <code>Authorization: Bearer &lt;key&gt;</code>. A key is shown once, when it is
        made.
      </p>
      <form
        method="post"
        action="/app/settings/api-keys"
        hx-post="/app/settings/api-keys"
        hx-target="#new-key"
        class="inline-form"
      >
        <CsrfField />
        <label for="key-name">Name</label>
        <input id="key-name" name="name" placeholder="e.g. Zapier" required maxlength={60} />
        <button type="submit">Create key</button>
      </form>
      <div id="new-key"></div>
      <ul class="rows" id="key-rows">
        {keys.map((k) => (
          <KeyRow apiKey={k} />
        ))}
      </ul>
    </section>
  )
}

/** One key's row; revoking swaps the row for its revoked form. */
export function KeyRow({ apiKey }: { apiKey: ApiKeyRow }) {
  return (
    <li class="row" id={`key-${apiKey.id}`}>
      <div class="row-main">
        <strong>{apiKey.name}</strong> <code>{apiKey.prefix}…</code>
        <div class="muted small">
          Created {apiKey.created_at.slice(0, 10)} · last used {apiKey.last_used_at?.slice(0, 10) ?? 'never'}
        </div>
      </div>
      <div>
        {apiKey.revoked_at ? (
          <span class="badge badge-inactive">revoked</span>
        ) : (
          <form
            method="post"
            action={`/app/settings/api-keys/${apiKey.id}/revoke`}
            hx-post={`/app/settings/api-keys/${apiKey.id}/revoke`}
            hx-target={`#key-${apiKey.id}`}
            hx-swap="outerHTML"
            hx-confirm="Revoke this key? Programs using it stop working."
          >
            <CsrfField />
            <button type="submit" class="danger">
              Revoke
            </button>
          </form>
        )}
      </div>
    </li>
  )
}

/** Shown once after a key is made; the key's row joins the list above the others. */
export function NewKey({ row, apiKey }: { row: ApiKeyRow; apiKey: string }) {
  return (
    <>
      <div class="notice" role="status">
        <p>
          New key <strong>{row.name}</strong>. Copy it now: it will not be shown again.
        </p>
        <code class="secret" data-testid="new-api-key">
          {apiKey}
        </code>
      </div>
      <hx-partial hx-target="#key-rows" hx-swap="afterbegin">
        <KeyRow apiKey={row} />
      </hx-partial>
    </>
  )
}

/** The invite form, here (with a link to the Team page) and on the Team page. */
export function InviteSection({ linkToTeam = true }: { linkToTeam?: boolean }) {
  return (
    <section class="card" id="team">
      <h2>Invite a team member</h2>
      {linkToTeam ? (
        <p class="muted">
          <a href="/app/settings/team">Everyone on the team</a>: roles, colours and removing someone.
        </p>
      ) : null}
      <form
        method="post"
        action="/app/settings/invites"
        hx-post="/app/settings/invites"
        hx-target="#invite-result"
        class="inline-form"
      >
        <CsrfField />
        <label for="invite-email">Email</label>
        <input id="invite-email" name="email" type="email" required />
        <label for="invite-role">Role</label>
        <select id="invite-role" name="role">
          <option value="member">Member</option>
          <option value="tech">Tech (works jobs)</option>
          <option value="admin">Admin</option>
        </select>
        <button type="submit">Create invite link</button>
      </form>
      <div id="invite-result"></div>
    </section>
  )
}

/** The invite link to send to the new team member, or what was wrong with the form. */
export function InviteResult(props: { link?: string; email?: string; error?: string }) {
  if (props.error)
    return (
      <p class="alert" role="alert">
        {props.error}
      </p>
    )
  return (
    <div class="notice" role="status">
      <p>
        Send this link to <strong>{props.email}</strong>. It works once, for 7 days.
      </p>
      <code class="secret" data-testid="invite-link">
        {props.link}
      </code>
    </div>
  )
}
