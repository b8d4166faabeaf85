/** /admin/announcements: write an announcement to the owners of a filtered set of businesses, and the past ones with their counts. */
import type { Announcement, Audience } from '../../src/platform/announcements'
import { FormAlert, type FormErrors, type FormValues, type Option, SelectField, TextareaField } from '../fields'
import { stamp } from '../format'
import { CsrfField, Field, useSession } from '../layout'

export const ENGAGEMENT_OPTIONS: Option[] = [
  { value: '', label: 'Any engagement' },
  { value: 'active', label: 'Active' },
  { value: 'at_risk', label: 'At risk' },
  { value: 'dormant', label: 'Dormant' },
]

const ENGAGEMENT_WORDS: Record<string, string> = { active: 'active', at_risk: 'at risk', dormant: 'dormant' }

/** "Owners of businesses on Pro, at risk, signed up from 2026-01-01": the audience in words. */
export function audienceWords(a: Audience, planNames: Record<string, string> = {}): string {
  const parts = [
    a.plan ? `on the ${planNames[a.plan] ?? a.plan} plan` : '',
    a.engagement ? ENGAGEMENT_WORDS[a.engagement] : '',
    a.signup_from && a.signup_to
      ? `signed up ${a.signup_from} to ${a.signup_to}`
      : a.signup_from
        ? `signed up from ${a.signup_from}`
        : a.signup_to
          ? `signed up by ${a.signup_to}`
          : '',
  ].filter(Boolean)
  return parts.length ? `Owners of businesses ${parts.join(', ')}` : 'Owners of every business'
}

export type AnnouncementsProps = {
  items: Announcement[]
  plans: Option[]
  values?: FormValues
  errors?: FormErrors
}

function NewAnnouncementForm({ plans, values = {}, errors = {} }: Omit<AnnouncementsProps, 'items'>) {
  return (
    <section class="card">
      <h2>New announcement</h2>
      <form method="post" action="/admin/announcements" data-testid="new-announcement">
        <CsrfField />
        <FormAlert errors={errors} />
        <Field label="Subject" name="subject" value={values['subject']} error={errors['subject']} maxlength={200} />
        <TextareaField label="Message" name="body" rows={8} value={values['body']} error={errors['body']} />
        <h3 class="small">Who gets it: the owners of the businesses that match</h3>
        <div class="triage">
          <SelectField
            label="Plan"
            name="plan"
            options={[{ value: '', label: 'Any plan' }, ...plans]}
            value={values['plan'] ?? ''}
            error={errors['plan']}
          />
          <SelectField
            label="Engagement"
            name="engagement"
            options={ENGAGEMENT_OPTIONS}
            value={values['engagement'] ?? ''}
            error={errors['engagement']}
          />
          <Field
            label="Signed up from"
            name="signup_from"
            type="date"
            value={values['signup_from']}
            error={errors['signup_from']}
          />
          <Field
            label="Signed up to"
            name="signup_to"
            type="date"
            value={values['signup_to']}
            error={errors['signup_to']}
          />
        </div>
        <div class="form-actions">
          <button type="submit" class="primary">
            Count the owners
          </button>
        </div>
        <p class="hint">Nothing is sent yet: the next page shows how many owners it reaches and asks you to confirm.</p>
      </form>
    </section>
  )
}

export function AnnouncementsPage(p: AnnouncementsProps) {
  const tz = useSession().organization.timezone
  const planNames = Object.fromEntries(p.plans.map((o) => [o.value, o.label]))
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Announcements</h1>
          <p class="muted">Email the owners of the businesses you pick. Owners who unsubscribed are skipped.</p>
        </div>
      </div>
      <NewAnnouncementForm plans={p.plans} values={p.values} errors={p.errors} />
      <section class="card">
        <h2>Sent and drafts</h2>
        {p.items.length === 0 ? (
          <p class="muted">None yet.</p>
        ) : (
          <ul class="rows" data-testid="announcements">
            {p.items.map((a) => (
              <li class="row" data-announcement={a.announcement_id}>
                <div class="row-main">
                  <a class="strong" href={`/admin/announcements/${a.announcement_id}`}>
                    {a.subject}
                  </a>{' '}
                  <span class="badge">{a.sent_at ? 'Sent' : 'Draft'}</span>
                  <p class="muted small">
                    {audienceWords(a.audience, planNames)} · {stamp(a.sent_at ?? a.created_at, tz)}
                    {a.sent_at ? (
                      <span data-testid="announcement-counts">
                        {' '}
                        · {a.counts.sent} sent, {a.counts.opted_out} opted out
                        {a.counts.failed ? `, ${a.counts.failed} failed` : ''}
                        {a.counts.waiting ? `, ${a.counts.waiting} waiting` : ''}
                      </span>
                    ) : null}
                  </p>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  )
}
