/** Techs and their QR codes: add a tech, deactivate or reactivate one, add a QR code, view it, print its card. */
import type { TechDetail } from '../../durable-objects/org/reviews/techs'
import { FormAlert, type FormErrors, type FormValues } from '../fields'
import { stamp } from '../format'
import { CsrfField, Field, useCanManage, useSession } from '../layout'
import { average, ReviewTabs } from './shared'

type SectionProps = { techs: TechDetail[]; base: string; values?: FormValues; errors?: FormErrors; notice?: string }

/** The techs page. */
export function TechsPage(props: SectionProps) {
  return (
    <>
      <h1>Techs &amp; QR codes</h1>
      <p class="muted">
        Give each tech a QR code to show or leave behind. A scan opens the same rating page your clients get, with the
        public review link, and the rating is counted for that tech.
      </p>
      <ReviewTabs current="/app/reviews/techs" />
      <TechsSection {...props} />
    </>
  )
}

/** The list and the add form together, so adding a tech swaps both in one response. */
export function TechsSection({ techs, base, values, errors, notice }: SectionProps) {
  const v = values ?? {}
  const e = errors ?? {}
  const canManage = useCanManage()
  return (
    <div id="techs" class="stack">
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {canManage ? (
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
          <div class="cols-2">
            <Field
              label="Name"
              name="name"
              value={v['name']}
              error={e['name']}
              required
              autocomplete="off"
              maxlength={100}
            />
            <Field
              label="Email (optional)"
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
      ) : null}
      {techs.length === 0 ? <p class="empty">No techs yet.</p> : techs.map((t) => <TechCard tech={t} base={base} />)}
    </div>
  )
}

/** One tech with their QR codes; deactivating or adding a code swaps this card. */
export function TechCard({ tech: t, base, error }: { tech: TechDetail; base: string; error?: string }) {
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
            )}
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
