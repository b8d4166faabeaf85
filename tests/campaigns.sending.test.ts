import { vi, describe, expect, it } from 'vitest'
import { api } from './helpers/factories'
import { decideAt, deliver, messagesOf, runDueAt } from './helpers/messaging'
import {
  addClient,
  campaignOf,
  campaignOrg,
  newCampaign,
  nextDueOf,
  outboxRows,
  preview,
  send,
  sendsOf,
} from './helpers/campaigns'

const MINUTE = 60_000
const later = (minutes: number) => new Date(Date.now() + minutes * MINUTE)

describe('sending a campaign', () => {
  it('goes out in throttled batches, one batch per run of due work', async () => {
    const org = await campaignOrg({ campaign_batch_size: 2 })
    for (const name of ['Ann', 'Ben', 'Cat', 'Dan', 'Eve']) await addClient(org, { first_name: name })
    const campaign = await newCampaign(org, {
      body: 'Hi {{first_name}}, {{business_name}} has openings: {{portal_link}}',
    })
    const first = await send(org, campaign.id)
    expect(first).toMatchObject({ status: 'sending', total: 5, progress: { total: 5, pending: 3 } })
    expect(first.progress.queued + first.progress.sent).toBe(2)
    // The registry's index says the next batch is due now, so the next cron tick takes it.
    expect(Date.parse((await nextDueOf(org))!)).toBeLessThanOrEqual(Date.now())

    await runDueAt(org, later(1))
    expect((await campaignOf(org, campaign.id)).progress.pending).toBe(1)
    await runDueAt(org, later(2))
    const done = await campaignOf(org, campaign.id)
    expect(done).toMatchObject({ status: 'sent', progress: { pending: 0, skipped: 0 } })
    expect(done.finished_at).not.toBeNull()
    expect(await nextDueOf(org)).toBeNull()

    const texts = (await messagesOf(org, '?purpose=campaign')).map((m) => m.body).sort()
    expect(texts).toHaveLength(5)
    expect(texts[0]).toMatch(
      /^Hi Ann, Sparkle Cleaning has openings: https:\/\/homebase\.test\/p\/\S+ Reply STOP to opt out\.$/,
    )
    await vi.waitFor(async () => expect((await campaignOf(org, campaign.id)).progress.sent).toBe(5), {
      timeout: 8000,
      interval: 200,
    })
    expect((await sendsOf(org, campaign.id, 'sent')).map((s) => s.first_name).sort()).toEqual([
      'Ann',
      'Ben',
      'Cat',
      'Dan',
      'Eve',
    ])
  })

  it('reaches exactly the clients the preview counted, and says why the others were skipped', async () => {
    const org = await campaignOrg()
    const optedOut = await addClient(org, { tags: ['spring'] })
    await api(org, 'POST', `/api/v1/clients/${optedOut}/consents`, { email_opt_in: false, reason: 'Asked us to stop' })
    const noEmail = await addClient(org, { tags: ['spring'], email: null })
    const capped = await addClient(org, { tags: ['spring', 'earlier'] })
    await send(org, (await newCampaign(org, { segment: { tags: ['earlier'] } })).id)
    const fine = [await addClient(org, { tags: ['spring'] }), await addClient(org, { tags: ['spring'] })]
    await addClient(org, { tags: ['autumn'] })

    const segment = { tags: ['spring'] }
    const counted = await preview(org, segment, 'email')
    expect(counted).toEqual({ matched: 5, will_receive: 2, excluded: { opted_out: 1, missing_contact: 1, capped: 1 } })

    const campaign = await newCampaign(org, { channel: 'email', subject: 'Spring openings', segment })
    const sent = await send(org, campaign.id)
    expect(sent.total).toBe(counted.matched)
    expect(sent.progress.queued + sent.progress.sent).toBe(counted.will_receive)
    expect(sent.progress.skipped).toBe(3)
    const skipped = Object.fromEntries(
      (await sendsOf(org, campaign.id, 'skipped')).map((s) => [s.org_client_id, s.reason]),
    )
    expect(skipped).toEqual({ [optedOut]: 'opted_out', [noEmail]: 'no_email', [capped]: 'capped' })
    const reached = (await sendsOf(org, campaign.id))
      .filter((s) => s.status !== 'skipped')
      .map((s) => s.org_client_id)
      .sort()
    expect(reached).toEqual(fine.sort())
  })

  it('does not send a scheduled campaign before its time', async () => {
    const org = await campaignOrg()
    await addClient(org)
    const sendAt = later(60).toISOString()
    const campaign = await newCampaign(org)
    expect(await send(org, campaign.id, sendAt)).toMatchObject({ status: 'scheduled', send_at: sendAt, total: 0 })
    expect(await nextDueOf(org)).toBe(sendAt)

    await runDueAt(org, later(59))
    expect(await campaignOf(org, campaign.id)).toMatchObject({ status: 'scheduled', total: 0 })
    expect(await messagesOf(org, '?purpose=campaign')).toEqual([])

    await runDueAt(org, later(61))
    expect(await campaignOf(org, campaign.id)).toMatchObject({ status: 'sent', total: 1, progress: { pending: 0 } })
    expect(await messagesOf(org, '?purpose=campaign')).toHaveLength(1)
  })
})

describe('cancelling a campaign', () => {
  it('sends nothing more: with batches of 2, five recipients and one run, exactly two go out', async () => {
    const org = await campaignOrg({ campaign_batch_size: 2 })
    for (let i = 0; i < 5; i++) await addClient(org)
    const campaign = await newCampaign(org)
    await send(org, campaign.id)
    await vi.waitFor(async () => expect((await campaignOf(org, campaign.id)).progress.sent).toBe(2), {
      timeout: 8000,
      interval: 200,
    })

    const res = await api(org, 'POST', `/api/v1/campaigns/${campaign.id}/cancel`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      status: 'cancelled',
      progress: { total: 5, pending: 0, sent: 2, skipped: 3 },
    })
    expect(await nextDueOf(org)).toBeNull()
    // Later runs decide nothing, so nothing more can reach the sends queue.
    for (const minutes of [1, 2, 3])
      expect(await runDueAt(org, later(minutes))).toEqual({ sent: 0, skipped: 0, deferred: 0 })

    expect(await messagesOf(org, '?purpose=campaign')).toHaveLength(2)
    expect((await sendsOf(org, campaign.id, 'skipped')).map((s) => s.reason)).toEqual([
      'cancelled',
      'cancelled',
      'cancelled',
    ])
    await vi.waitFor(async () => expect(await outboxRows(org)).toHaveLength(2), { timeout: 8000, interval: 100 })
  })

  it('stops messages already queued but not yet handed to a provider', async () => {
    const org = await campaignOrg()
    await addClient(org)
    await addClient(org)
    const campaign = await newCampaign(org)
    const sendAt = later(5)
    await send(org, campaign.id, sendAt.toISOString())
    // Decide the batch without handing it to the queue: both messages wait, queued.
    const decided = await decideAt(org, new Date(sendAt.getTime() + 1000))
    expect(decided.queued).toHaveLength(2)

    await api(org, 'POST', `/api/v1/campaigns/${campaign.id}/cancel`)
    const messages = await messagesOf(org, '?purpose=campaign')
    expect(messages.map((m) => [m.status, m.reason])).toEqual([
      ['skipped', 'campaign_cancelled'],
      ['skipped', 'campaign_cancelled'],
    ])
    await deliver(org, decided.queued)
    expect(await outboxRows(org)).toEqual([])
    expect((await campaignOf(org, campaign.id)).progress).toMatchObject({ skipped: 2, queued: 0, sent: 0 })
  })

  it('drops messages held back by quiet hours', async () => {
    const org = await campaignOrg()
    await api(org, 'PATCH', '/api/v1/organization', { quiet_hours: { start: '00:00', end: '23:59' } })
    await addClient(org)
    const campaign = await newCampaign(org)
    const sent = await send(org, campaign.id)
    // Deferred until quiet hours end: counted as queued, to go later.
    expect(sent.progress).toMatchObject({ queued: 1, pending: 0 })
    expect((await messagesOf(org, '?purpose=campaign'))[0]!.status).toBe('deferred')

    await api(org, 'POST', `/api/v1/campaigns/${campaign.id}/cancel`)
    await runDueAt(org, later(24 * 60))
    const [message] = await messagesOf(org, '?purpose=campaign')
    expect([message!.status, message!.reason]).toEqual(['skipped', 'campaign_cancelled'])
    expect(await outboxRows(org)).toEqual([])
  })
})
