/** The booking form on /app/jobs/new read into the API's new job: its fields, where the API's errors show, and its own rules. */
import type { Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../../../env'
import { zonedTimeToUtc } from '../../../time'
import type { FormErrors, FormValues } from '../../../../views/fields'
import { createJobBody } from '../../api/jobs'
import {
  addressRule,
  contactRule,
  intoApi,
  localDateTime,
  optionalDollars,
  optionalEmail,
  optionalMinutes,
  optionalText,
  phoneRule,
  ticked,
} from '../forms'
import { readNotify, readRecurrence } from './repeat'

const jobFields = z.object({
  client_mode: z.enum(['existing', 'new']).catch('existing'),
  org_client_id: optionalText(100),
  first_name: optionalText(100),
  last_name: optionalText(100),
  email: optionalEmail,
  phone: optionalText(40),
  address1: optionalText(200),
  city: optionalText(100),
  state: optionalText(100),
  postal: optionalText(20),
  service_id: optionalText(100),
  site_id: optionalText(100),
  start: localDateTime,
  duration_minutes: optionalMinutes,
  price: optionalDollars,
  notes: optionalText(5000),
  assigned_to: ticked,
  // Read by readRecurrence and readNotify from the posted strings.
  repeats: optionalText(40),
  every_weeks: optionalText(10),
  ends: optionalText(20),
  ends_count: optionalText(10),
  ends_on: optionalText(20),
  notify: optionalText(10),
  notify_shown: optionalText(10),
  crm_connection_id: optionalText(100),
  crm_job_type_id: optionalText(100),
  crm_business_unit_id: optionalText(100),
  crm_technician_id: optionalText(100),
})

/** The fields' strings again, as readRecurrence and readNotify take them. */
const strings = (v: z.output<typeof jobFields>): FormValues => ({
  start: `${v.start.date}T${v.start.time}`,
  repeats: v.repeats,
  every_weeks: v.every_weeks,
  ends: v.ends,
  ends_count: v.ends_count,
  ends_on: v.ends_on,
  notify: v.notify,
  notify_shown: v.notify_shown,
})

/** The booking form read into the API's new job: the start in the business's zone, the client chosen or new. */
export const newJobForm = (c: Context<AppEnv>) =>
  intoApi(
    jobFields,
    (v) => {
      const start = zonedTimeToUtc(v.start.date, v.start.time, c.get('organization').timezone)
      const { recurrence } = readRecurrence(strings(v))
      const notify = readNotify(strings(v))
      const job = {
        service_id: v.service_id,
        start_at: start.toISOString(),
        end_at: v.duration_minutes ? new Date(start.getTime() + v.duration_minutes * 60_000).toISOString() : undefined,
        price_cents: v.price,
        notes: v.notes,
        ...(v.assigned_to.length > 0 ? { assigned_to: [...new Set(v.assigned_to)] } : {}),
        ...(recurrence ? { recurrence } : {}),
        ...(notify === false ? { notify } : {}),
        ...(v.crm_connection_id && v.crm_job_type_id
          ? {
              crm: {
                connection_id: v.crm_connection_id,
                job_type_id: v.crm_job_type_id,
                business_unit_id: v.crm_business_unit_id,
                technician_id: v.crm_technician_id,
              },
            }
          : {}),
      }
      if (v.client_mode === 'existing')
        return { ...job, org_client_id: v.org_client_id, ...(v.site_id ? { site_id: v.site_id } : {}) }
      const address = v.address1
        ? { address1: v.address1, city: v.city!, state: v.state!, postal: v.postal! }
        : undefined
      return {
        ...job,
        client: { first_name: v.first_name!, last_name: v.last_name, email: v.email, phone: v.phone, address },
      }
    },
    createJobBody,
  )

/** Where the API's fields show on the form. */
export const JOB_FIELDS = {
  start_at: 'start',
  end_at: 'duration_minutes',
  price_cents: 'price',
  assigned_to: 'assigned_to',
  'recurrence.interval': 'every_weeks',
  'recurrence.count': 'ends_count',
  'recurrence.until': 'ends_on',
  recurrence: 'repeats',
  'crm.connection_id': 'crm_job_type_id',
  'crm.job_type_id': 'crm_job_type_id',
  'crm.business_unit_id': 'crm_business_unit_id',
  'crm.technician_id': 'crm_technician_id',
}

/** An existing client must be chosen; a new one needs a name and a way to reach them; a repeat must be complete. */
export function newJobRules(values: FormValues, c: Context<AppEnv>): FormErrors {
  const repeat = readRecurrence(values).errors
  if (values['client_mode'] !== 'new') {
    return {
      ...repeat,
      ...((values['org_client_id'] ?? '').trim() ? {} : { org_client_id: 'Choose a client, or pick “New client”.' }),
    }
  }
  return {
    ...repeat,
    ...((values['first_name'] ?? '').trim() ? {} : { first_name: 'Enter the new client’s first name.' }),
    ...contactRule(values, 'phone', 'Add a phone or an email so you can reach them.'),
    ...phoneRule(values, c.get('organization').country),
    ...addressRule(values),
  }
}
