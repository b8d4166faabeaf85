/**
 * POST /app/jobs/{id}/on-my-way: the job page's "On my way" (one tap per arrival estimate). htmx
 * swaps the card with what happened; without JavaScript the page comes back with it as a notice.
 */
import { clock } from '../../../clock'
import { type Context, Hono } from 'hono'
import type { AppEnv } from '../../../env'
import { tellOnMyWay, WHY } from '../../../jobs/on-my-way'
import type { OnMyWayState } from '../../../../views/jobs/on-my-way'
import { OnMyWayCard } from '../../../../views/jobs/on-my-way'
import { fragment } from '../../../../views/layout'
import { formStrings, ID, isHtmx } from '../forms'
import { jobAnswer, jobDetail } from './detail'

/** An arrival estimate as the API takes it (whole minutes, 1 to 240), or null. */
function etaOf(value: string | undefined): number | null {
  const minutes = Number(value)
  return Number.isInteger(minutes) && minutes >= 1 && minutes <= 240 ? minutes : null
}

/** What the card says after a tap: the text that went, or why none did. */
function said(outcome: string, eta: number, clientName: string): Pick<OnMyWayState, 'notice' | 'error'> {
  if (outcome === 'sent') return { notice: `Texted ${clientName}: on the way, about ${eta} minutes.` }
  return { error: WHY[outcome] ?? 'The text was not sent.' }
}

/** What a redirect back (`?on_my_way=&eta=`) says: fixed words, with only a checked number and the client's own name in them. */
export function onMyWaySaid(c: Context<AppEnv>, clientName: string): Pick<OnMyWayState, 'notice' | 'error'> {
  const outcome = c.req.query('on_my_way')
  const eta = etaOf(c.req.query('eta'))
  if (!outcome || eta === null || (outcome !== 'sent' && !Object.hasOwn(WHY, outcome))) return {}
  return said(outcome, eta, clientName)
}

export const jobOnMyWayPages = new Hono<AppEnv>().post(`/:id{${ID}}/on-my-way`, async (c) => {
  const id = c.req.param('id')
  const eta = etaOf((await formStrings(c))['eta_minutes'])
  if (eta === null) {
    const item = await jobDetail(c, await c.get('org').getJob(id))
    const error = 'Pick how many minutes away you are.'
    if (!isHtmx(c)) return jobAnswer(c, item, { error }, 400)
    const state = { sent: item.onMyWay?.sent ?? null, error }
    return fragment(c, <OnMyWayCard jobId={id} clientName={item.clientName} state={state} />, 400)
  }
  const result = await tellOnMyWay(c.env, c.get('organization'), id, eta, clock.now())
  const outcome = 'message_id' in result ? 'sent' : result.skipped
  if (!isHtmx(c)) return c.redirect(`/app/jobs/${id}?on_my_way=${outcome}&eta=${eta}#on-my-way`, 303)
  const item = await jobDetail(c, await c.get('org').getJob(id))
  const state = { sent: item.onMyWay?.sent ?? null, ...said(outcome, eta, item.clientName) }
  return fragment(
    c,
    <OnMyWayCard jobId={id} clientName={item.clientName} state={state} />,
    outcome === 'sent' ? 200 : 409,
  )
})
