/**
 * POST /app/settings/reminders: the reminder lead times on Settings › Messaging, saved as
 * `PATCH /api/v1/organization {reminders}` is (visits still to come are re-planned). htmx swaps the
 * section; without JavaScript the messaging page comes back, with the errors beside the fields.
 */
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../../env'
import { requireRole } from '../../http/auth'
import { updateOrganization } from '../../organizations'
import { fragment } from '../../../views/layout'
import { MessagingSettingsPage } from '../../../views/messages'
import { LeadTimesSection, type LeadTimesState } from '../../../views/settings/reminders'
import { formBody, isHtmx } from './forms'
import { leadTimesForm } from './settings-forms'
import { messagingOf } from '../../messaging/remote'

/** The section for htmx, else the whole messaging page with it (422 when the form came back). */
async function answer(c: Context<AppEnv>, state: LeadTimesState, status: 200 | 422) {
  const org = c.get('org')
  const settings = (await org.messagingSettings())!
  c.status(status)
  if (isHtmx(c)) return fragment(c, <LeadTimesSection leadTimes={settings.reminders} {...state} />, status)
  return c.render(
    <MessagingSettingsPage settings={settings} templates={await messagingOf(org).listTemplates()} leadTimes={state} />,
    { title: 'Messaging settings', active: 'settings' },
  )
}

export const reminderSettingsPages = new Hono<AppEnv>().post(
  '/',
  requireRole('owner', 'admin'),
  formBody(leadTimesForm, (c, values, errors) => answer(c, { values, errors }, 422)),
  async (c) => {
    await updateOrganization(c.env, c.get('organization'), c.get('org'), c.req.valid('form'))
    if (!isHtmx(c)) return c.redirect('/app/settings/messaging?saved=1#reminder-lead-times', 303)
    return answer(c, { notice: 'Saved. Visits still to come follow the new times.' }, 200)
  },
)
