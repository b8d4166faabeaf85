/**
 * A campaign to a large segment: one organization with BENCH_CAMPAIGN_CLIENTS clients (10,000 by
 * default), an SMS campaign to all active ones. Times the preview, fixing the recipients, and the
 * runs of due work that decide them in batches (consent, cap, quiet hours, links, one message row
 * each), until the campaign is sent. Run with `npm run bench`; `npm test` skips this file.
 */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { unwrap } from '../../durable-objects/org/result'
import { orgStub } from '../../src/organizations'
import { api, createOrg } from '../helpers/factories'
import type { CampaignBench } from './measure'
import { seedOrganization } from './seed'
import { campaignsOf } from '../../src/campaigns/remote'
import { messagingOf } from '../../src/messaging/remote'

const CLIENTS = Number(env.BENCH_CAMPAIGN_CLIENTS ?? 10_000)
const BATCH = 1_000

describe.skipIf(env.BENCH !== 'on')(`a campaign to ${CLIENTS.toLocaleString('en-US')} clients`, () => {
  it('previews, fixes the recipients and decides every one in batches', { timeout: 20 * 60_000 }, async (ctx) => {
    const org = await createOrg({ organization_name: 'Bench Campaign Co' })
    await api(org, 'PATCH', '/api/v1/organization', {
      quiet_hours: { start: '00:00', end: '00:00' },
      campaign_batch_size: BATCH,
    })
    const stub = orgStub(env, org.organizationId)
    const seeded = await seedOrganization(stub, {
      clientCount: CLIENTS,
      jobCount: 0,
      serviceIds: [],
      progress: (line) => console.log(line),
    })

    const segment = { status: ['active' as const] }
    const previews: number[] = []
    let preview = unwrap(await campaignsOf(stub).previewCampaign(segment, 'sms'))
    for (let i = 0; i < 5; i++) {
      const t = Date.now()
      preview = unwrap(await campaignsOf(stub).previewCampaign(segment, 'sms'))
      previews.push(Date.now() - t)
    }
    const campaign = unwrap(
      await campaignsOf(stub).createCampaign({
        name: 'Spring special',
        channel: 'sms',
        segment,
        body: 'Hi {{first_name}}, 15% off this month at {{business_name}}.',
      }),
    )
    const sendAt = new Date(Date.now() + 60_000).toISOString()
    unwrap(await stub.sendCampaign(campaign.id, sendAt))

    // Each run of due work decides one batch; the first also fixes the recipients.
    const runs: number[] = []
    const now = new Date(Date.parse(sendAt) + 1_000)
    const started = Date.now()
    let decided = 0
    for (let run = 0; run < Math.ceil(CLIENTS / BATCH) + 5; run++) {
      const t = Date.now()
      const counts = await stub.decideDueWork(now)
      runs.push(Date.now() - t)
      decided += counts.sent + counts.skipped + counts.deferred
      if ((await campaignsOf(stub).getCampaign(campaign.id))?.status === 'sent') break
    }
    const totalMs = Date.now() - started
    const final = await campaignsOf(stub).getCampaign(campaign.id)
    expect(final?.status).toBe('sent')
    const sent = (await messagingOf(stub).listMessages({ purpose: 'campaign', status: 'queued', limit: 100_000 }))
      .length
    expect(sent).toBe(preview.will_receive)

    const sorted = [...runs].sort((a, b) => a - b)
    const result: CampaignBench = {
      clients: CLIENTS,
      seedSeconds: seeded.clientSeconds,
      matched: preview.matched,
      willReceive: preview.will_receive,
      queued: sent,
      decided,
      previewMs: [...previews].sort((a, b) => a - b)[2]!,
      batch: BATCH,
      runs: runs.length,
      firstRunMs: runs[0]!,
      runP50Ms: sorted[Math.floor(sorted.length / 2)]!,
      totalMs,
      perSecond: decided / (totalMs / 1000),
    }
    ;(ctx.task.meta as { benchCampaign?: CampaignBench }).benchCampaign = result
    console.log(result)
  })
})
