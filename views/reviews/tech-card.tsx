/** One tech's card: their place on the team, QR codes and ratings; deactivate, link to a team member, add a code. */
import type { TeamTech } from '../../src/reviews/team-techs'
import type { TeamMember } from '../../src/team'
import { stamp } from '../format'
import { CsrfField, useCanManage, useSession } from '../layout'
import { average } from './shared'

type CardProps = {
  tech: TeamTech
  members: TeamMember[]
  base: string
  /** What was wrong with a new QR code's label. */
  error?: string
  /** What was wrong with linking to a team member. */
  linkError?: string
}

/** Where the tech stands with the team, as a badge. */
function TeamBadge({ tech: t }: { tech: TeamTech }) {
  if (t.team_status === 'team')
    return (
      <span class="badge badge-active" data-testid="team-status">
        <span class="crew-dot" style={`background:${t.color}`} aria-hidden="true">
          {' '}
        </span>{' '}
        on the team ({t.role})
      </span>
    )
  const words = { invited: 'invited to the team', left: 'left the team', none: 'not on the team yet' }
  return (
    <span class="badge badge-inactive" data-testid="team-status">
      {words[t.team_status]}
    </span>
  )
}

/** One tech with their QR codes; deactivating, linking or adding a code swaps this card. */
export function TechCard({ tech: t, members, base, error, linkError }: CardProps) {
  const tz = useSession().organization.timezone
  const canManage = useCanManage()
  const target = `#tech-${t.id}`
  return (
    <section class="card" id={`tech-${t.id}`} data-testid="tech-card">
      <div class="page-head">
        <div>
          <h2>
            {t.name}{' '}
            {t.active ? (
              <span class="badge badge-active">active</span>
            ) : (
              <span class="badge badge-inactive">inactive</span>
            )}{' '}
            <TeamBadge tech={t} />
          </h2>
          <p class="muted small">
            {t.email ?? 'no email'} · {t.ratings} {t.ratings === 1 ? 'rating' : 'ratings'}, average {average(t.average)}
          </p>
        </div>
        {canManage ? (
          <form
            method="post"
            action={`/app/reviews/techs/${t.id}/active`}
            hx-post={`/app/reviews/techs/${t.id}/active`}
            hx-target={target}
            hx-swap="outerHTML"
          >
            <CsrfField />
            <input type="hidden" name="active" value={t.active ? 'false' : 'true'} />
            <button type="submit" class={t.active ? 'danger' : undefined}>
              {t.active ? 'Deactivate' : 'Reactivate'}
            </button>
          </form>
        ) : null}
      </div>
      {canManage && t.team_status !== 'team' && members.length > 0 ? (
        <form
          class="inline-form"
          method="post"
          action={`/app/reviews/techs/${t.id}/link`}
          hx-post={`/app/reviews/techs/${t.id}/link`}
          hx-target={target}
          hx-swap="outerHTML"
          data-testid="link-tech"
        >
          <CsrfField />
          <label for={`link-${t.id}`}>Link to team member</label>
          <select id={`link-${t.id}`} name="user_id" required>
            {members.map((m) => (
              <option value={m.user_id} selected={m.email.toLowerCase() === t.email?.toLowerCase()}>
                {m.name ?? m.email} ({m.role})
              </option>
            ))}
          </select>
          <button type="submit">Link</button>
          {linkError ? (
            <p class="error" role="alert">
              {linkError}
            </p>
          ) : null}
        </form>
      ) : null}
      {t.qr_codes.length === 0 ? (
        <p class="muted">No QR codes yet.</p>
      ) : (
        <ul class="rows">
          {t.qr_codes.map((q) => (
            <li class="row">
              <div class="row-main">
                <strong>{q.label}</strong> <code>{`${base}/q/${q.code}`}</code>
                <div class="muted small">
                  {q.scan_count} {q.scan_count === 1 ? 'scan' : 'scans'}
                  {q.last_scanned_at ? `, last ${stamp(q.last_scanned_at, tz)}` : ''}
                </div>
              </div>
              <div class="actions">
                <a class="button" href={`/app/reviews/qr/${q.id}/image.svg`} target="_blank" rel="noopener">
                  View QR
                </a>
                <a class="button" href={`/app/reviews/qr/${q.id}/card`}>
                  Print card
                </a>
              </div>
            </li>
          ))}
        </ul>
      )}
      {canManage ? (
        <form
          class="inline-form"
          method="post"
          action={`/app/reviews/techs/${t.id}/qr-codes`}
          hx-post={`/app/reviews/techs/${t.id}/qr-codes`}
          hx-target={target}
          hx-swap="outerHTML"
        >
          <CsrfField />
          <label for={`qr-label-${t.id}`}>New QR code</label>
          <input id={`qr-label-${t.id}`} name="label" placeholder="e.g. Van sticker" required maxlength={100} />
          <button type="submit">Add QR code</button>
          {error ? (
            <p class="error" role="alert">
              {error}
            </p>
          ) : null}
        </form>
      ) : null}
    </section>
  )
}
