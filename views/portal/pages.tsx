/** The portal's pages of providers: one provider from a link, every provider after verifying, and single-action links. */
import type { PortalBusiness, PortalJob, PortalView } from '../../durable-objects/org/portal/view'
import type { Consent } from '../../src/people/consent'
import type { FormErrors, FormValues } from '../fields'
import { DetailsCard } from './details'
import { PortalLayout } from './layout'
import { JobCard, ProviderSection, type FormTarget } from './provider'
import { VerifyCard, type VerifyOptions } from './verify'

const Notice = ({ text }: { text?: string }) =>
  text ? (
    <p class="notice" role="status">
      {text}
    </p>
  ) : null

/** A link's page: one provider's visits and invoices, and the way to see every provider. */
export function HomePage(p: {
  view: PortalView
  target: FormTarget
  consent: Consent
  notice?: string
  verify: VerifyOptions | null
  signedIn: boolean
}) {
  const name = p.view.first_name ? `Hi ${p.view.first_name}` : 'Hello'
  return (
    <PortalLayout title={`${p.view.business.name} · your visits`}>
      <Notice text={p.notice} />
      <p class="hello">{name}, here is everything with</p>
      <ProviderSection view={p.view} target={p.target} consent={p.consent} heading="h1" />
      {p.signedIn ? (
        <section class="card">
          <h2>All your providers</h2>
          <p>
            <a class="button" href="/p/me">
              See every provider in one place
            </a>
          </p>
        </section>
      ) : p.verify ? (
        <VerifyCard base={p.target.base} options={p.verify} />
      ) : null}
    </PortalLayout>
  )
}

/** The details form as it comes back: what was typed, errors beside fields, the providers ticked. */
export type DetailsState = { values: FormValues; errors: FormErrors; ticked?: string[] }

/** Every provider of a verified homeowner, and the form to send them new details. */
export function MePage({
  providers,
  csrf,
  notice,
  details,
}: {
  providers: Array<{ view: PortalView; consent: Consent }>
  csrf: string
  notice?: string
  details?: DetailsState
}) {
  const names = providers.map(({ view }) => ({
    organization_id: view.business.organization_id,
    name: view.business.name,
  }))
  return (
    <PortalLayout title="Your home services" signedIn={{ csrf }}>
      <Notice text={notice} />
      {details && Object.values(details.errors).some(Boolean) ? (
        <p class="alert" role="alert">
          Your details were not saved. Please fix what is marked below.
        </p>
      ) : null}
      <h1>Your home services</h1>
      {providers.length === 0 ? (
        <p>No provider has you as a client yet.</p>
      ) : (
        <p class="muted">
          {providers.length === 1 ? 'One provider' : `${providers.length} providers`} that use HomeBase.
        </p>
      )}
      {providers.map(({ view, consent }) => (
        <div class="card">
          <ProviderSection
            view={view}
            consent={consent}
            target={{ base: `/p/me/${view.business.organization_id}`, csrf }}
          />
        </div>
      ))}
      {providers.length > 0 ? (
        <DetailsCard
          providers={names}
          csrf={csrf}
          values={details?.values ?? {}}
          errors={details?.errors ?? {}}
          ticked={details?.ticked}
        />
      ) : null}
    </PortalLayout>
  )
}

/** A "confirm this visit" link: that visit and its confirm button. */
export function ConfirmLinkPage({
  business,
  job,
  target,
  notice,
}: {
  business: PortalBusiness
  job: PortalJob
  target: FormTarget
  notice?: string
}) {
  return (
    <PortalLayout title={`Your visit with ${business.name}`}>
      <Notice text={notice} />
      <h1>{business.name}</h1>
      <JobCard job={{ ...job, can_reschedule: false, can_rate: false }} target={target} />
    </PortalLayout>
  )
}
