/** Techs and their QR codes: every tech on the team, adding one (an invite or someone already on the team), and their cards. */
import type { TeamTech } from '../../src/reviews/team-techs'
import type { TeamMember } from '../../src/team'
import { FormAlert, type FormErrors, type FormValues } from '../fields'
import { CsrfField, Field, useCanManage } from '../layout'
import { ReviewTabs } from './shared'
import { TechCard } from './tech-card'

type SectionProps = {
  techs: TeamTech[]
  members: TeamMember[]
  base: string
  values?: FormValues
  errors?: FormErrors
  notice?: string
  /** The invite link for someone just added by email, to send them. */
  inviteUrl?: string | null
}

/** The techs page. */
export function TechsPage(props: SectionProps) {
  return (
    <>
      <h1>Techs &amp; QR codes</h1>
      <p class="muted">
        Techs are the people on your team who do the work. Give each a QR code to show or leave behind: a scan opens the
        same rating page your clients get, with the public review link, and the rating is counted for that tech.
      </p>
      <ReviewTabs current="/app/reviews/techs" />
      <TechsSection {...props} />
    </>
  )
}

/** The list and the add form together, so adding a tech swaps both in one response. */
export function TechsSection({ techs, members, base, values, errors, notice, inviteUrl }: SectionProps) {
  const canManage = useCanManage()
  return (
    <div id="techs" class="stack">
      {notice ? (
        <div class="notice" role="status">
          <p>{notice}</p>
          {inviteUrl ? (
            <>
              <p>Send them this link to join the team as a tech. It works once, for 7 days.</p>
              <code class="secret" data-testid="invite-link">
                {inviteUrl}
              </code>
            </>
          ) : null}
        </div>
      ) : null}
      {canManage ? <AddTech members={members} values={values ?? {}} errors={errors ?? {}} /> : null}
      {techs.length === 0 ? (
        <p class="empty">No techs yet.</p>
      ) : (
        techs.map((t) => <TechCard tech={t} members={members} base={base} />)
      )}
    </div>
  )
}

/** Adds a tech: someone already on the team, or a name and email invited to join it as a tech. */
function AddTech({ members, values: v, errors: e }: { members: TeamMember[]; values: FormValues; errors: FormErrors }) {
  return (
    <form
      class="card form-card"
      method="post"
      action="/app/reviews/techs"
      hx-post="/app/reviews/techs"
      hx-target="#techs"
      hx-swap="outerHTML"
      novalidate
    >
      <h2>Add a tech</h2>
      <CsrfField />
      <FormAlert errors={e} />
      <div class="field">
        <label for="tech-member">Someone on the team</label>
        <select id="tech-member" name="user_id">
          <option value="">— someone new —</option>
          {members.map((m) => (
            <option value={m.user_id} selected={v['user_id'] === m.user_id}>
              {m.name ?? m.email} ({m.role})
            </option>
          ))}
        </select>
        {e['user_id'] ? (
          <p class="error" role="alert">
            {e['user_id']}
          </p>
        ) : null}
      </div>
      <p class="hint">Someone new: their name, and an email to invite them to the team as a tech.</p>
      <div class="cols-2">
        <Field label="Name" name="name" value={v['name']} error={e['name']} autocomplete="off" maxlength={100} />
        <Field
          label="Email (to invite them)"
          name="email"
          type="email"
          value={v['email']}
          error={e['email']}
          autocomplete="off"
          maxlength={200}
        />
      </div>
      <button type="submit" class="primary">
        Add tech
      </button>
    </form>
  )
}
