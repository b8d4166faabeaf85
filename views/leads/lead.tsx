/**
 * A lead's page: its details to edit, custom fields, the brief, activities, "Create estimate" and
 * "Convert to client" (with a confirm step). Once converted the page is read-only and links to the client.
 */
import type { ActivityType } from '../../durable-objects/org/sales/leads/activities'
import { type LeadDetail, leadName } from '../../durable-objects/org/sales/leads/leads'
import { BriefCard } from '../assistant/brief'
import type { FormErrors, FormValues } from '../fields'
import { dateTime, moneyRounded, phone, stamp } from '../format'
import { CsrfField } from '../layout'
import { ActivitiesCard } from './activities'
import { CustomFieldsCard, type FieldRows, rowsOf } from './custom-fields'
import { EditLeadForm, leadValues } from './form'
import { type LeadsContext, OwnerDot, sourceName, StatusBadge } from './parts'

export type LeadPageProps = {
  lead: LeadDetail
  types: ActivityType[]
  ctx: LeadsContext
  notice?: string
  edit?: { values: FormValues; errors: FormErrors }
  fields?: { rows: FieldRows; error?: string }
  activity?: { values: FormValues; errors: FormErrors }
  /** A refused Log a call form, shown in place. */
  call?: { values: FormValues; errors: FormErrors }
}

/** The page's heading: the name, status, source and when the lead came in; swapped after an edit. */
export function LeadHead({ lead, ctx }: { lead: LeadDetail; ctx: LeadsContext }) {
  return (
    <div id="lead-head">
      <h1 data-testid="lead-name">{leadName(lead)}</h1>
      <p class="muted small">
        <StatusBadge status={lead.status} /> · {sourceName(lead.source)} · came in {stamp(lead.created_at, ctx.tz)}
        {lead.company ? ` · ${lead.company}` : ''}
      </p>
    </div>
  )
}

export function LeadPage(p: LeadPageProps) {
  const { lead, ctx } = p
  return (
    <>
      <p class="crumbs">
        <a href="/app/leads">Leads</a> / {leadName(lead)}
      </p>
      <div class="page-head">
        <LeadHead lead={lead} ctx={ctx} />
        {lead.is_converted ? null : (
          <div class="actions">
            <a class="button primary" href={`/app/leads/${lead.id}/convert`} data-testid="convert">
              Convert to client
            </a>
            <a class="button" href={`/app/estimates/new?lead_id=${lead.id}`}>
              Create estimate
            </a>
          </div>
        )}
      </div>
      {p.notice ? (
        <p class="notice" role="status">
          {p.notice}
        </p>
      ) : null}
      {lead.is_converted ? <Converted lead={lead} ctx={ctx} /> : null}
      <div class="grid-2">
        {lead.is_converted ? (
          <ReadOnlyDetails lead={lead} ctx={ctx} />
        ) : (
          <EditLeadForm
            id={lead.id}
            values={p.edit?.values ?? leadValues(lead, ctx.tz)}
            errors={p.edit?.errors ?? {}}
            ctx={ctx}
          />
        )}
        <div class="stack">
          {lead.is_converted ? null : (
            <BriefCard
              subject="leads"
              id={lead.id}
              brief={
                lead.ai_summary && lead.ai_next_action && lead.ai_priority
                  ? { summary: lead.ai_summary, next_action: lead.ai_next_action, priority: lead.ai_priority }
                  : undefined
              }
              at={lead.ai_updated_at}
            />
          )}
          <CustomFieldsCard
            id={lead.id}
            rows={p.fields?.rows ?? rowsOf(lead.custom_fields)}
            version={lead.custom_fields_version}
            readOnly={lead.is_converted}
            error={p.fields?.error}
          />
        </div>
      </div>
      <ActivitiesCard
        action={lead.is_converted ? undefined : `/app/leads/${lead.id}/activities`}
        items={lead.activities}
        types={p.types}
        tz={ctx.tz}
        team={ctx.team}
        values={p.activity?.values}
        errors={p.activity?.errors}
        call={lead.is_converted ? undefined : { action: `/app/leads/${lead.id}/calls`, ...p.call }}
      />
    </>
  )
}

/** What a converted lead says: when it became a client, and a link to that client. */
function Converted({ lead, ctx }: { lead: LeadDetail; ctx: LeadsContext }) {
  return (
    <p class="notice" data-testid="converted">
      Became a client {lead.conversion_date ? `on ${stamp(lead.conversion_date, ctx.tz)}` : ''}. This lead is history
      now and takes no more changes.{' '}
      {lead.converted_to_client_id ? (
        <a href={`/app/clients/${lead.converted_to_client_id}`}>Open the client →</a>
      ) : null}
    </p>
  )
}

/** A converted lead's details, to read. */
function ReadOnlyDetails({ lead, ctx }: { lead: LeadDetail; ctx: LeadsContext }) {
  const owner = lead.assigned_to ? ctx.team.find((m) => m.id === lead.assigned_to) : undefined
  const rows: Array<[string, unknown]> = [
    ['Email', lead.email],
    ['Phone', lead.phone ? phone(lead.phone) : null],
    ['Company', lead.company],
    ['Service interest', lead.service_interest],
    ['Estimated value', lead.estimated_value_cents !== null ? moneyRounded(lead.estimated_value_cents) : null],
    ['Next follow-up', lead.next_follow_up_at ? dateTime(lead.next_follow_up_at, ctx.tz) : null],
    ['Notes', lead.notes],
  ]
  return (
    <section class="card" data-testid="lead-details">
      <h2>Details</h2>
      <dl class="facts">
        {rows
          .filter(([, v]) => v !== null && v !== '')
          .map(([k, v]) => (
            <>
              <dt>{k}</dt>
              <dd>{String(v)}</dd>
            </>
          ))}
        {owner ? (
          <>
            <dt>Assigned to</dt>
            <dd>
              <OwnerDot person={owner} named />
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  )
}

/** The confirm step before converting: one way, said plainly; a refusal (no email or phone) comes back here. */
export function ConvertPage({ lead, error }: { lead: LeadDetail; error?: string }) {
  const name = leadName(lead)
  return (
    <>
      <p class="crumbs">
        <a href="/app/leads">Leads</a> / <a href={`/app/leads/${lead.id}`}>{name}</a> / Convert
      </p>
      <section class="card form-card">
        <h1>Make {name} a client?</h1>
        <p>
          A client card is made from their name, email and phone (or found, if they are already your client). The lead
          stays as its history on the client's page, and can't be changed or converted back.
        </p>
        {error ? (
          <p class="alert" role="alert">
            {error}
          </p>
        ) : null}
        <form method="post" action={`/app/leads/${lead.id}/convert`} class="form-actions">
          <CsrfField />
          <button type="submit" class="primary">
            Convert to client
          </button>
          <a class="button" href={`/app/leads/${lead.id}`}>
            Cancel
          </a>
        </form>
      </section>
    </>
  )
}

/** What a saved edit answers htmx with: the form saying so, and the heading and activities (a new status is on them) brought up to date. */
export function LeadSaved({ lead, types, ctx }: { lead: LeadDetail; types: ActivityType[]; ctx: LeadsContext }) {
  return (
    <>
      <EditLeadForm id={lead.id} values={leadValues(lead, ctx.tz)} errors={{}} ctx={ctx} notice="Saved." />
      <hx-partial hx-target="#lead-head" hx-swap="outerHTML">
        <LeadHead lead={lead} ctx={ctx} />
      </hx-partial>
      <hx-partial hx-target="#activities" hx-swap="outerHTML">
        <ActivitiesCard
          action={`/app/leads/${lead.id}/activities`}
          items={lead.activities}
          types={types}
          tz={ctx.tz}
          team={ctx.team}
          call={{ action: `/app/leads/${lead.id}/calls` }}
        />
      </hx-partial>
    </>
  )
}
