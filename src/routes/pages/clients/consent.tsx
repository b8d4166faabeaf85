/** The client's messaging consent, changed by staff with the reason recorded. */
import { Hono } from 'hono'
import { ConsentCard } from '../../../../views/clients/consent'
import { fragment } from '../../../../views/layout'
import { peopleDb } from '../../../db'
import type { AppEnv } from '../../../env'
import { consentFor, setConsent, targetOf } from '../../../people/consent'
import { formBody, ID, isHtmx } from '../forms'
import { consentForm } from './forms'
import { clientAndCard, withTimeline } from './render'
import { messagingOf } from '../../../messaging/remote'

export const consentRoutes = new Hono<AppEnv>().post(
  `/:id{${ID}}/consents`,
  formBody(consentForm, async (c, _values, errors) => {
    const { client } = await clientAndCard(c, c.req.param('id')!)
    const consent = await consentFor(peopleDb(c.env.PEOPLE), targetOf(client), c.get('organization').id)
    return fragment(c, <ConsentCard clientId={client.org_client_id} consent={consent} error={errors['reason']} />, 422)
  }),
  async (c) => {
    const id = c.req.param('id')
    const { client } = await clientAndCard(c, id)
    const { reason, ...wanted } = c.req.valid('form')
    const { organization, email } = c.get('session')!
    const db = peopleDb(c.env.PEOPLE)
    // Only the channels staff changed count as the client's choice; the form always carries all three.
    const current = await consentFor(db, targetOf(client), organization.id)
    const change = Object.fromEntries(
      (['sms_opt_in', 'email_opt_in', 'marketing_email_opt_in'] as const)
        .filter((k) => wanted[k] !== undefined && wanted[k] !== current[k])
        .map((k) => [k, wanted[k]]),
    )
    const consent = await setConsent(db, targetOf(client), organization.id, change, `${reason} (${email})`)
    await messagingOf(c.get('org')).recordConsentChange(id, consent, reason, email)
    if (!isHtmx(c)) return c.redirect(`/app/clients/${id}`, 303)
    return withTimeline(c, id, <ConsentCard clientId={id} consent={consent} notice="Saved." />)
  },
)
