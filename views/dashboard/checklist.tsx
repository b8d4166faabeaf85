/** The first-run checklist on the dashboard: what a new business sets up, each step linking to where it is done. */
import type { SetupChecklist, SetupStep } from '../../durable-objects/org/setup'
import { SETUP_STEPS } from '../../durable-objects/org/setup'
import { CsrfField, useCanManage } from '../layout'

const STEPS: Record<SetupStep, { label: string; href: string; hint: string }> = {
  services: { label: 'Add your services', href: '/app/services', hint: 'What you offer, with its length and price.' },
  payments: {
    label: 'Set up payments',
    href: '/app/settings#payments',
    hint: 'Connect Stripe, or say how clients pay you.',
  },
  review_link: {
    label: 'Add your public review link',
    href: '/app/settings#reviews',
    hint: 'Review requests go out only once it is set.',
  },
  phone: { label: 'Add your business phone', href: '/app/settings#business', hint: 'Clients see it on invoices.' },
  clients: {
    label: 'Import or add your clients',
    href: '/app/clients/import',
    hint: 'A CSV from Jobber, Housecall Pro or ServiceTitan, or one at a time.',
  },
  first_job: { label: 'Book your first job', href: '/app/jobs/new', hint: 'Reminders go out on their own.' },
}

/** True while the checklist is shown: some step is not done and the owner has not put it away. */
export const checklistShown = (c: SetupChecklist) => c.dismissed_at === null && c.done < SETUP_STEPS.length

/** The checklist card: each step ticked when done, else a link to where it is done. */
export function SetupChecklistCard({ checklist }: { checklist: SetupChecklist }) {
  if (!checklistShown(checklist)) return null
  return (
    <section class="card" id="setup-checklist" data-testid="setup-checklist" aria-labelledby="setup-title">
      <div class="page-head">
        <h2 id="setup-title">
          Get set up <span class="muted small">{`${checklist.done} of ${SETUP_STEPS.length} done`}</span>
        </h2>
        {useCanManage() ? (
          <form
            method="post"
            action="/app/checklist/dismiss"
            hx-post="/app/checklist/dismiss"
            hx-target="#setup-checklist"
            hx-swap="outerHTML"
            hx-confirm="Hide the setup checklist for good? Everything stays in Settings."
          >
            <CsrfField />
            <button type="submit" class="link">
              Hide
            </button>
          </form>
        ) : null}
      </div>
      <ul class="rows">
        {SETUP_STEPS.map((step) => {
          const s = STEPS[step]
          const done = checklist.steps[step]
          return (
            <li class="row" data-step={step} data-done={done ? 'true' : 'false'}>
              <div class="row-main">
                {done ? (
                  <s>{s.label}</s>
                ) : (
                  <a href={s.href}>
                    <strong>{s.label}</strong>
                  </a>
                )}
                {step === 'clients' && !done ? (
                  <>
                    {' '}
                    <span class="muted small">
                      or <a href="/app/clients/new">add one</a>
                    </span>
                  </>
                ) : null}
                <div class="muted small">{s.hint}</div>
              </div>
              {done ? <span class="badge badge-completed">✓ Done</span> : <span class="badge badge-draft">To do</span>}
            </li>
          )
        })}
      </ul>
    </section>
  )
}

/** What replaces the card once the owner hides it. */
export function ChecklistHidden() {
  return (
    <p class="muted small" id="setup-checklist" role="status">
      Setup checklist hidden. Everything on it stays in <a href="/app/settings">Settings</a>.
    </p>
  )
}
