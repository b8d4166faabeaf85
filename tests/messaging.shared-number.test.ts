import { describe, expect, it } from 'vitest'
import { api, createClient, createOrg, type TestOrg } from './helpers/factories'
import { deliver, textIn } from './helpers/messaging'

const phone = () => `+1415557${String(1000 + Math.floor(Math.random() * 8999))}`

/** A text from the business to its client, through the sends consumer, so it is sent. */
async function textOut(org: TestOrg, orgClientId: string, body: string) {
  const res = await api(org, 'POST', `/api/v1/clients/${orgClientId}/messages`, { channel: 'sms', body })
  expect(res.status).toBe(201)
  const { message_id } = await res.json<{ message_id: string }>()
  await deliver(org, [message_id])
}

const thread = async (org: TestOrg, orgClientId: string) =>
  (
    await (
      await api(org, 'GET', `/api/v1/clients/${orgClientId}/conversation`)
    ).json<{
      items: { direction: string; body: string }[]
    }>()
  ).items
    .filter((i) => i.direction === 'in')
    .map((i) => i.body)

describe('a reply to the shared number', () => {
  it('goes to the business that texted the phone, not to a stranger who only put it on a card', async () => {
    const p = phone()
    const business = await createOrg()
    const stranger = await createOrg()
    const dana = await createClient(business, { first_name: 'Dana', phone: p })
    const copy = await createClient(stranger, { first_name: 'Target', phone: p })
    await textOut(business, dana.org_client_id, 'See you Tuesday at 9.')

    expect((await textIn(p, 'The gate code is 4412')).status).toBe(200)
    expect(await thread(business, dana.org_client_id)).toEqual(['The gate code is 4412'])
    expect(await thread(stranger, copy.org_client_id)).toEqual([])
    const inbox = await (await api(stranger, 'GET', '/api/v1/inbox')).json<{ items: unknown[] }>()
    expect(inbox.items).toEqual([])

    // STOP is about the number: every business texting it from there stops.
    await textIn(p, 'STOP')
    for (const [org, id] of [
      [business, dana.org_client_id],
      [stranger, copy.org_client_id],
    ] as const) {
      const res = await api(org, 'POST', `/api/v1/clients/${id}/messages`, { channel: 'sms', body: 'Hello?' })
      expect(res.status).toBe(409)
    }
  })

  it('goes to whichever business wrote last, and to nobody when none of them ever did', async () => {
    const p = phone()
    const [first, second] = [await createOrg(), await createOrg()]
    const a = await createClient(first, { first_name: 'Ana', phone: p })
    const b = await createClient(second, { first_name: 'Ana', phone: p })

    await textIn(p, 'Who is this?')
    expect(await thread(first, a.org_client_id)).toEqual([])
    expect(await thread(second, b.org_client_id)).toEqual([])

    await textOut(first, a.org_client_id, 'Your window cleaning is booked.')
    await textOut(second, b.org_client_id, 'Your lawn is due for a cut.')
    await textIn(p, 'Thursday works')
    expect(await thread(first, a.org_client_id)).toEqual([])
    expect(await thread(second, b.org_client_id)).toEqual(['Thursday works'])
  })

  it('still goes to the only business holding the phone', async () => {
    const p = phone()
    const org = await createOrg()
    const client = await createClient(org, { first_name: 'Solo', phone: p })
    await textIn(p, 'Hi, can you quote a deep clean?')
    expect(await thread(org, client.org_client_id)).toEqual(['Hi, can you quote a deep clean?'])
  })
})
