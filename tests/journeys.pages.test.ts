import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { Staff } from './helpers/browserless'
import { api, BASE, createClient } from './helpers/factories'
import { createJourney, raise } from './helpers/journeys'
import { decideAt, orgWithClient } from './helpers/messaging'

const HX = { 'hx-request': 'true' }

async function signedIn() {
  const setup = await orgWithClient()
  const staff = new Staff()
  await staff.post('/login', { email: setup.org.email, password: setup.org.password })
  return { ...setup, staff, csrf: await staff.csrfToken() }
}

type Journey = {
  status: string
  version: number
  steps: Array<{ type: string; body?: string; delay_minutes?: number }>
  settings: Record<string, unknown>
}
const journeyOf = async (org: Parameters<typeof api>[0], id: string) =>
  (await api(org, 'GET', `/api/v1/journeys/${id}`)).json<Journey>()

describe('journey pages', () => {
  it('list journeys with their status and counts', async () => {
    const { org, client, staff } = await signedIn()
    const id = await createJourney(org, {
      name: 'Thank-you texts',
      trigger_event: 'manual',
      steps: [{ type: 'sms', body: 'Thanks' }],
    })
    await raise(org, { type: 'manual', org_client_id: client.org_client_id })
    const html = await (await staff.get('/app/journeys')).text()
    expect(html).toContain('Thank-you texts')
    expect(html).toMatch(
      new RegExp(`data-journey="${id}".*?data-testid="journey-status">active</span>.*?>1</a></td>`, 's'),
    )
  })

  it('create a draft from a starter and see its steps previewed with the newest client', async () => {
    const { org, staff, csrf } = await signedIn()
    await createClient(org, { first_name: 'Newest', email: 'newest@example.com' })
    const starters = await (await staff.get('/app/journeys/new')).text()
    expect(starters.match(/data-starter="/g)).toHaveLength(6)
    for (const key of ['thank_you', 'follow_up', 'review', 'rebooking', 'retention', 'upsell'])
      expect(starters).toContain(`data-starter="${key}"`)
    const res = await staff.post('/app/journeys/from/review', { _csrf: csrf })
    expect(res.status).toBe(303)
    const builder = await (await staff.get(res.headers.get('location')!)).text()
    expect(builder).toContain('data-testid="journey-status">draft</span>')
    expect(builder).toContain('Ask for a review by text')
    expect(builder).toContain(
      'Hi Newest, thanks for choosing Sparkle Cleaning! How did we do? https://homebase.test/r/…',
    )
  })

  it('add, edit, move and delete steps with htmx partials', async () => {
    const { org, staff, csrf } = await signedIn()
    const created = await staff.post('/app/journeys', {
      name: 'Built by hand',
      trigger_event: 'job_completed',
      _csrf: csrf,
    })
    const id = created.headers.get('location')!.split('/').pop()!
    const base = `/app/journeys/${id}/steps`

    const form = await (await staff.get(`${base}/new?type=sms`, HX)).text()
    expect(form).toMatch(/^<section id="steps"/)
    expect(form).toContain('name="type" value="sms"')
    const empty = await staff.post(base, { type: 'sms', body: '', _csrf: csrf }, HX)
    expect(empty.status).toBe(422)
    expect(await empty.text()).toContain('class="error"')

    expect(
      (await staff.post(base, { type: 'sms', body: 'Thanks {{first_name}}!', purpose: 'thank_you', _csrf: csrf }, HX))
        .status,
    ).toBe(200)
    const added = await (await staff.post(base, { type: 'wait', amount: '2', unit: 'days', _csrf: csrf }, HX)).text()
    expect(added).toContain('Wait 2 days')
    expect(added).toContain('Thanks Casey!')
    expect((await journeyOf(org, id)).steps).toEqual([
      { type: 'sms', body: 'Thanks {{first_name}}!', purpose: 'thank_you' },
      { type: 'wait', delay_minutes: 2880 },
    ])

    const moved = await (await staff.post(`${base}/1/up`, { _csrf: csrf }, HX)).text()
    expect(moved).toMatch(/1\. Wait 2 days.*2\. Text · Thank you/s)
    const edit = await (await staff.get(`${base}/1/edit`, HX)).text()
    expect(edit).toContain('Thanks {{first_name}}!</textarea>')
    await staff.post(`${base}/1`, { type: 'sms', body: 'Edited', purpose: '', _csrf: csrf }, HX)
    expect((await journeyOf(org, id)).steps[1]).toEqual({ type: 'sms', body: 'Edited' })

    const deleted = await (await staff.post(`${base}/0/delete`, { _csrf: csrf }, HX)).text()
    expect(deleted).not.toContain('Wait 2 days')
    const journey = await journeyOf(org, id)
    expect(journey.steps).toEqual([{ type: 'sms', body: 'Edited' }])
    expect(journey.version).toBe(6)

    const preview = await (
      await staff.post(
        `/app/journeys/${id}/preview`,
        { type: 'review_request', channel: 'sms', body: '', _csrf: csrf },
        HX,
      )
    ).text()
    expect(preview).toContain('Hi Casey, thanks for choosing Sparkle Cleaning! How did we do?')
  })

  it('save settings, and activate only once there is a step', async () => {
    const { org, staff, csrf } = await signedIn()
    const id = await createJourney(org, { status: 'draft', steps: [] })
    const refused = await staff.post(`/app/journeys/${id}/status`, { status: 'active', _csrf: csrf })
    expect(refused.status).toBe(422)
    expect(await refused.text()).toContain('Add a step before activating the journey.')

    const bad = await staff.post(
      `/app/journeys/${id}/settings`,
      {
        name: 'X',
        trigger_event: 'job_completed',
        trigger_source: 'any',
        quiet_start: '20:00',
        quiet_end: '',
        reentry_mode: 'after_days',
        reentry_days: '30',
        _csrf: csrf,
      },
      HX,
    )
    expect(bad.status).toBe(422)
    expect(await bad.text()).toContain('Give both times, or leave both empty.')
    const body = new URLSearchParams({
      name: 'Renamed',
      trigger_event: 'invoice_paid',
      trigger_source: 'quickbooks',
      quiet_start: '20:00',
      quiet_end: '09:00',
      reentry_mode: 'never',
      reentry_days: '',
      _csrf: csrf,
    })
    body.append('stop_on', 'replied')
    body.append('stop_on', 'job_booked')
    const saved = await postForm(staff, `/app/journeys/${id}/settings`, body)
    expect(saved.status).toBe(200)
    expect(await saved.text()).toContain('Settings saved.')
    expect(await journeyOf(org, id)).toMatchObject({
      settings: {
        stop_on: ['replied', 'job_booked'],
        quiet_hours: { start: '20:00', end: '09:00' },
        reentry: { mode: 'never' },
      },
    })

    await api(org, 'PATCH', `/api/v1/journeys/${id}`, { steps: [{ type: 'sms', body: 'Hi' }] })
    expect((await staff.post(`/app/journeys/${id}/status`, { status: 'active', _csrf: csrf })).status).toBe(303)
    expect((await journeyOf(org, id)).status).toBe('active')
  })

  it('show each enrollment’s client, position, next step and history', async () => {
    const { org, client, staff } = await signedIn()
    const id = await createJourney(org, {
      trigger_event: 'manual',
      steps: [
        { type: 'sms', body: 'One' },
        { type: 'wait', delay_minutes: 1440 },
        { type: 'sms', body: 'Two' },
      ],
    })
    await raise(org, { type: 'manual', org_client_id: client.org_client_id, occurred_at: '2030-06-10T17:00:00Z' })
    await decideAt(org, new Date('2030-06-10T17:00:00Z'))
    const html = await (await staff.get(`/app/journeys/${id}/enrollments`)).text()
    expect(html).toContain('Casey')
    expect(html).toMatch(/data-testid="enrollment-position">Step 3 of 3 · next Jun 11, 2030, 10:00 AM/)
    expect(html).toContain('Enrolled: enrolled on version 1 (source: manual)')
    expect(html).toContain('Step 1 · Text: queued')
    expect(html).toContain('Step 2 · Wait: wait 1440 min, until Jun 11, 2030, 10:00 AM')
    expect((await staff.get(`/app/journeys/${crypto.randomUUID()}/enrollments`)).status).toBe(404)
  })
})

/** Posts a form with repeated fields (checkboxes), as a browser does with htmx. */
function postForm(staff: Staff, path: string, body: URLSearchParams) {
  return SELF.fetch(`${BASE}${path}`, {
    method: 'POST',
    body: body.toString(),
    headers: {
      origin: BASE,
      cookie: staff.cookie,
      'content-type': 'application/x-www-form-urlencoded',
      'hx-request': 'true',
    },
  })
}
