/** Settings › Business: the name, phone and address clients see, the time zone, the wordmark and colour, the default tax rate. */
import type { showOrganization } from '../../src/organizations'
import { type ZoneOption, zoneLabel } from '../../src/timezones'
import { FormAlert, type FormErrors, type FormValues } from '../fields'
import { phone as formatPhone } from '../format'
import { CsrfField, Field, useCanManage } from '../layout'
import { TimeZoneField } from './timezone'

/** The organization as `GET /api/v1/organization` shows it. */
export type OrgView = Awaited<ReturnType<typeof showOrganization>>

export type SectionProps = { org: OrgView; values?: FormValues; errors?: FormErrors; notice?: string }

/** The form's fields as the organization fills them in. */
export function businessValues(org: OrgView): FormValues {
  return {
    name: org.name,
    phone: org.phone ? formatPhone(org.phone) : '',
    address1: org.address?.address1 ?? '',
    address2: org.address?.address2 ?? '',
    city: org.address?.city ?? '',
    state: org.address?.state ?? '',
    postal: org.address?.postal ?? '',
    timezone: org.timezone,
    logo_text: org.logo_text ?? '',
    brand_color: org.brand_color ?? '',
    default_tax_rate: org.default_tax_rate === null ? '' : String(org.default_tax_rate),
  }
}

/** The business section; saving swaps it in place. */
export function BusinessSection({ org, values, errors, notice, zones }: SectionProps & { zones: ZoneOption[] }) {
  const v = values ?? businessValues(org)
  const e = errors ?? {}
  const canEdit = useCanManage()
  return (
    <section class="card" id="business">
      <h2>Business</h2>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {canEdit ? (
        <form
          method="post"
          action="/app/settings/business"
          hx-post="/app/settings/business"
          hx-target="#business"
          hx-swap="outerHTML"
          novalidate
        >
          <CsrfField />
          <FormAlert errors={e} />
          <Field label="Business name" name="name" value={v['name']} error={e['name']} required maxlength={120} />
          <Field
            label="Business phone"
            name="phone"
            type="tel"
            inputmode="tel"
            value={v['phone']}
            error={e['phone']}
            placeholder="(415) 555-0100"
            hint="Shown to clients in the portal and on invoices."
          />
          <div class="cols-address">
            <Field label="Street address" name="address1" value={v['address1']} error={e['address1']} />
            <Field label="Apt, suite" name="address2" value={v['address2']} error={e['address2']} />
            <Field label="City" name="city" value={v['city']} error={e['city']} />
            <Field label="State" name="state" value={v['state']} error={e['state']} />
            <Field label="ZIP" name="postal" value={v['postal']} error={e['postal']} inputmode="numeric" />
          </div>
          <TimeZoneField value={v['timezone'] ?? ''} error={e['timezone']} options={zones} />
          <div class="cols-2">
            <Field
              label="Wordmark"
              name="logo_text"
              value={v['logo_text']}
              error={e['logo_text']}
              maxlength={40}
              placeholder={org.name.slice(0, 40)}
              hint="Printed at the top of invoices and the portal."
            />
            <Field
              label="Brand colour"
              name="brand_color"
              value={v['brand_color']}
              error={e['brand_color']}
              placeholder="#1a7f5a"
              hint="Written #rrggbb."
            />
          </div>
          <Field
            label="Default tax rate (%)"
            name="default_tax_rate"
            inputmode="decimal"
            value={v['default_tax_rate']}
            error={e['default_tax_rate']}
            placeholder="8.25"
            hint="Charged on taxable invoice lines unless the client has a rate of their own. 0 to 30, like 10.25."
          />
          <button type="submit" class="primary">
            Save business details
          </button>
        </form>
      ) : (
        <BusinessFacts org={org} />
      )}
    </section>
  )
}

/** What staff who cannot change the settings see. */
function BusinessFacts({ org }: { org: OrgView }) {
  const a = org.address
  return (
    <dl class="facts">
      <dt>Name</dt>
      <dd>{org.name}</dd>
      <dt>Phone</dt>
      <dd>{org.phone ? formatPhone(org.phone) : 'not set'}</dd>
      <dt>Address</dt>
      <dd>{a ? [a.address1, a.address2, a.city, `${a.state} ${a.postal}`].filter(Boolean).join(', ') : 'not set'}</dd>
      <dt>Time zone</dt>
      <dd>{zoneLabel(org.timezone)}</dd>
      <dt>Default tax rate</dt>
      <dd>{org.default_tax_rate === null ? 'none' : `${org.default_tax_rate}%`}</dd>
    </dl>
  )
}
