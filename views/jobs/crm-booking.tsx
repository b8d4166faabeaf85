/**
 * The booking form's "Book in Jobber too" selects, when a CRM is connected: the CRM's job type
 * (none: the job stays here only), its business unit (ServiceTitan) and technician, from the
 * connection's scheduling lists (cached 15 minutes). The job goes onto the CRM's board once booked.
 */
import type { ConfigItem } from '../../src/integrations/scheduling'
import { type FormErrors, type FormValues, SelectField } from '../fields'

/** The connected CRM's lists; `null` where the CRM has no such list. */
export type CrmChoices = {
  connectionId: string
  label: string
  jobTypes: ConfigItem[]
  businessUnits: ConfigItem[] | null
  technicians: ConfigItem[] | null
}

const options = (items: ConfigItem[]) => items.map((i) => ({ value: i.id, label: i.name }))

export function CrmBookingFields({
  crm,
  values: v,
  errors: e,
}: {
  crm: CrmChoices
  values: FormValues
  errors: FormErrors
}) {
  return (
    <fieldset data-testid="crm-booking">
      <legend>Book in {crm.label} too</legend>
      <input type="hidden" name="crm_connection_id" value={crm.connectionId} />
      {crm.jobTypes.length === 0 ? (
        <p class="muted small">
          No job types could be read from {crm.label} just now, so this job is booked here only.
        </p>
      ) : (
        <div class="cols-2">
          <SelectField
            label={`${crm.label} job type`}
            name="crm_job_type_id"
            options={[{ value: '', label: `Don't book in ${crm.label}` }, ...options(crm.jobTypes)]}
            value={v['crm_job_type_id']}
            error={e['crm_job_type_id']}
          />
          {crm.businessUnits ? (
            <SelectField
              label="Business unit"
              name="crm_business_unit_id"
              options={[{ value: '', label: 'Choose one' }, ...options(crm.businessUnits)]}
              value={v['crm_business_unit_id']}
              error={e['crm_business_unit_id']}
            />
          ) : null}
          {crm.technicians ? (
            <SelectField
              label="Technician"
              name="crm_technician_id"
              options={[{ value: '', label: 'Anyone' }, ...options(crm.technicians)]}
              value={v['crm_technician_id']}
              error={e['crm_technician_id']}
            />
          ) : null}
        </div>
      )}
    </fieldset>
  )
}
