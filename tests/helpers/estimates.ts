/** Helpers for estimate tests: a draft through the API, sending it, and the homeowner's link from the message. */
import { expect } from 'vitest'
import { CookieJar } from './browserless'
import { api, type TestOrg } from './factories'
import { messagesOf, orgWithClient } from './messaging'

export type Estimate = {
  id: string
  number: number
  status: string
  lead_id: string | null
  org_client_id: string | null
  subtotal_cents: number
  tax_cents: number
  total_cents: number
  valid_until: string
  expires_at: string | null
  sent_at: string | null
  approved_at: string | null
  approved_name: string | null
  declined_at: string | null
  decline_reason: string | null
  expired_at: string | null
  job_id: string | null
  link: string | null
  line_items: Array<{ description: string; quantity: number; unit_price_cents: number; taxable: boolean }>
}

/** Two lines: $400 of work and a $50 fee without tax. */
export const LINES = [
  { description: 'Deck staining', quantity: 2, unit_price_cents: 20_000 },
  { description: 'Travel fee', unit_price_cents: 5_000, taxable: false },
]

/** Makes a draft estimate through the API. */
export async function draftEstimate(org: TestOrg, body: Record<string, unknown>): Promise<Estimate> {
  const res = await api(org, 'POST', '/api/v1/estimates', { line_items: LINES, ...body })
  expect(res.status, await res.clone().text()).toBe(201)
  return (await res.json<{ estimate: Estimate }>()).estimate
}

/** The estimate as the API reads it now. */
export async function estimateOf(org: TestOrg, id: string): Promise<Estimate> {
  return (await api(org, 'GET', `/api/v1/estimates/${id}`)).json<Estimate>()
}

/** Sends it through the API (201 expected) and returns the answer. */
export async function sendEstimate(org: TestOrg, id: string, body: Record<string, unknown> = {}) {
  const res = await api(org, 'POST', `/api/v1/estimates/${id}/send`, body)
  expect(res.status, await res.clone().text()).toBe(201)
  return res.json<{ estimate: Estimate; message: { message_id: string; channel: string } }>()
}

/** The `/e/…` path of the approval link in a message body. */
export const linkPath = (body: string) => body.match(/https:\/\/homebase\.test(\/e\/[\w.-]+)/)?.[1]

/** A client's estimate (valid until `validUntil`, default far ahead) sent by text; its link's path and the message. */
export async function sentEstimate(opts: { validUntil?: string; email?: string | null } = {}) {
  const setup = await orgWithClient({ email: opts.email })
  const draft = await draftEstimate(setup.org, {
    org_client_id: setup.client.org_client_id,
    valid_until: opts.validUntil ?? '2031-06-30',
  })
  const sent = await sendEstimate(setup.org, draft.id)
  const [message] = await messagesOf(setup.org, '?purpose=estimate')
  const path = linkPath(message!.body)
  if (!path) throw new Error(`no link in ${message!.body}`)
  return { ...setup, estimate: sent.estimate, message: message!, path }
}

/** The homeowner: no session, form posts with our Origin. */
export const homeowner = () => new CookieJar()
