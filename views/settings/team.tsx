/**
 * Settings › Team: everyone who signs in to the business with their role and colour, and the
 * invites not yet accepted. Owners and admins change a role or colour, or remove someone, row by row.
 */
import type { TeamRole } from '../../src/people/schema'
import type { PendingInvite, TeamMember } from '../../src/team'
import { CsrfField, useCanManage, useSession } from '../layout'
import { InviteSection } from '../settings'

const ROLES: Array<[TeamRole, string]> = [
  ['owner', 'Owner'],
  ['admin', 'Admin'],
  ['member', 'Member'],
  ['tech', 'Tech (works jobs)'],
]

const roleName = (role: string) => ROLES.find(([r]) => r === role)?.[1] ?? role

/** A row as it came back: just saved (a notice) or refused (the reason beside it). */
export type RowState = { notice?: string; error?: string }

export function TeamPage(props: {
  team: TeamMember[]
  invites: PendingInvite[]
  rows?: Record<string, RowState>
  notice?: string
}) {
  const canManage = useCanManage()
  return (
    <>
      <p>
        <a href="/app/settings">← Settings</a>
      </p>
      <h1>Team</h1>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <section class="card" id="people">
        <h2>People</h2>
        <p class="muted">
          Owners and admins change how the business works; members book and bill; techs work the jobs they are on. Each
          person's colour marks their visits on the schedule.
        </p>
        <ul class="rows" id="team-rows">
          {props.team.map((m) => (
            <MemberRow member={m} {...props.rows?.[m.user_id]} />
          ))}
        </ul>
      </section>
      {props.invites.length > 0 ? (
        <section class="card" id="open-invites">
          <h2>Invited, not joined yet</h2>
          <ul class="rows">
            {props.invites.map((i) => (
              <li class="row" data-testid="open-invite">
                <div class="row-main">
                  <strong>{i.name ?? i.email}</strong> {i.name ? <span class="muted">{i.email}</span> : null}
                  <div class="muted small">
                    {roleName(i.role)} · the link works until {i.expires_at.slice(0, 10)}
                  </div>
                </div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {canManage ? <InviteSection linkToTeam={false} /> : null}
    </>
  )
}

/** One person's row; saving or a refusal swaps it in place. */
export function MemberRow({ member: m, notice, error }: { member: TeamMember } & RowState) {
  const canManage = useCanManage()
  const me = useSession().accountId === m.user_id
  const id = `member-${m.user_id}`
  const path = `/app/settings/team/${m.user_id}`
  return (
    <li class="row" style="flex-wrap:wrap" id={id} data-testid="team-member" data-role={m.role} data-color={m.color}>
      <div class="row-main">
        <span class="crew-dot" style={`background:${m.color}`} aria-hidden="true"></span>{' '}
        <strong>{m.name ?? m.email}</strong> {me ? <span class="badge">you</span> : null}
        <div class="muted small">
          {m.name ? `${m.email} · ` : ''}
          {roleName(m.role)}
        </div>
        {notice ? (
          <p class="notice small" role="status">
            {notice}
          </p>
        ) : null}
        {error ? (
          <p class="alert small" role="alert" data-testid="row-error">
            {error}
          </p>
        ) : null}
      </div>
      {canManage ? (
        <div class="inline-form">
          <form
            method="post"
            action={path}
            hx-post={path}
            hx-target={`#${id}`}
            hx-swap="outerHTML"
            class="inline-form"
            style="margin:0"
          >
            <CsrfField />
            <label for={`${id}-role`}>Role</label>
            <select id={`${id}-role`} name="role">
              {ROLES.map(([value, label]) => (
                <option value={value} selected={value === m.role}>
                  {label}
                </option>
              ))}
            </select>
            <label for={`${id}-color`}>Colour</label>
            <input
              id={`${id}-color`}
              name="color"
              type="color"
              value={m.color}
              style="flex:0 0 3rem;min-width:3rem;padding:0.1rem"
            />
            <button type="submit">Save</button>
          </form>
          <form
            method="post"
            action={`${path}/remove`}
            hx-post={`${path}/remove`}
            hx-target={`#${id}`}
            hx-swap="outerHTML"
            hx-confirm={`Remove ${m.name ?? m.email} from the team? They are signed out and taken off upcoming visits.`}
          >
            <CsrfField />
            <button type="submit" class="danger">
              Remove
            </button>
          </form>
        </div>
      ) : null}
    </li>
  )
}

/** What is left of a removed person's row. */
export function RemovedRow({ member: m }: { member: TeamMember }) {
  return (
    <li class="row" id={`member-${m.user_id}`}>
      <p class="notice small" role="status">
        {m.name ?? m.email} was removed from the team.
      </p>
    </li>
  )
}
