/** Settings: API keys (create, show once, revoke) and team invites. */
import type { ApiKeyRow } from '../src/auth/api-keys'
import { CsrfField, useCanManage, useSession } from './layout'
import { NoGatingNote } from './reviews/settings'

/** Server settings an owner must ask their administrator for, each with what goes wrong without it. */
export type MissingSetting = { name: string; effect: string }

export function SettingsPage({ keys, missing = [] }: { keys: ApiKeyRow[]; missing?: MissingSetting[] }) {
  const session = useSession()
  const canManage = useCanManage()
  return (
    <>
      <h1>Settings</h1>
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
      <section class="card">
        <h2>Business</h2>
        <dl class="facts">
          <dt>Name</dt>
          <dd>{session.organization.name}</dd>
          <dt>Time zone</dt>
          <dd>{session.organization.timezone}</dd>
          <dt>Country</dt>
          <dd>{session.organization.country}</dd>
        </dl>
      </section>
      <section class="card">
        <h2>Messages</h2>
        <p>
          <a href="/app/settings/messaging">Reminders, quiet hours and message wording</a> ·{' '}
          <a href="/app/messages">Message log</a> · <a href="/app/messages?status=failed">Failed messages</a>
        </p>
      </section>
      <section class="card" id="review-funnel" hx-get="/app/reviews/settings" hx-trigger="load" hx-swap="outerHTML">
        <h2>Review funnel</h2>
        <p>
          <a href="/app/reviews/settings">Your public review link</a> · <a href="/app/reviews">Feedback inbox</a>
        </p>
        <NoGatingNote />
      </section>
      <section class="card" id="payment-settings" hx-get="/app/settings/payments" hx-trigger="load" hx-swap="outerHTML">
        <h2>Payments in the homeowner portal</h2>
        <p>
          <a href="/app/settings/payments">Stripe account and payment instructions</a>
        </p>
      </section>
      {session.role === 'owner' ? <ApiKeysSection keys={keys} /> : null}
      {canManage ? <InviteSection /> : null}
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

function InviteSection() {
  return (
    <section class="card" id="team">
      <h2>Invite a team member</h2>
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
