/**
 * Helpers for the support and announcement tests: a signed-in operator (an account PLATFORM_ADMINS
 * lists, signed up once per test file) calling the console's JSON API with its CSRF token, staff
 * sessions, tickets opened through the API, and the outbox's emails to an address.
 */
import { env, SELF } from 'cloudflare:test'
import { expect } from 'vitest'
import { Staff } from './browserless'
import { api, BASE, createOrg, type TestOrg } from './factories'

/** A signed-in staff member of `org` and the CSRF token its forms carry. */
export async function signedIn(org: Pick<TestOrg, 'email' | 'password'>) {
  const staff = new Staff()
  const res = await staff.post('/login', { email: org.email, password: org.password })
  expect(res.status).toBe(303)
  return { staff, csrf: await staff.csrfToken() }
}

export type Operator = Awaited<ReturnType<typeof operatorSession>>

let operator: ReturnType<typeof operatorSession> | null = null

/** The operator `ops@homebase.test`, signed up and signed in once per test file (sign-ins are rate-limited). */
export function signInOperator() {
  operator ??= operatorSession()
  return operator
}

async function operatorSession() {
  const email = 'ops@homebase.test'
  // createOrg answers with the email it made up: the account signs in with the one it was given.
  const account = { ...(await createOrg({ email, organization_name: 'HomeBase Ops' })), email }
  const { staff, csrf } = await signedIn(account)
  /** The console's JSON API as this operator. */
  const json = (method: string, path: string, body?: unknown) =>
    SELF.fetch(`${BASE}${path}`, {
      method,
      headers: {
        cookie: staff.cookie,
        'x-csrf-token': csrf,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    })
  return { account, staff, csrf, json }
}

/** Opens a ticket through the API as `org`; returns its id. */
export async function openTicket(org: TestOrg, body: Record<string, unknown>): Promise<string> {
  const res = await api(org, 'POST', '/api/v1/support/tickets', body)
  expect(res.status).toBe(201)
  return (await res.json<{ ticket_id: string }>()).ticket_id
}

export type OutboxEmail = {
  message_id: string
  subject: string
  body: string
  headers: string
  organization_id: string
}

/** The outbox's emails to `to`, oldest first. */
export async function emailsTo(to: string): Promise<OutboxEmail[]> {
  const { results } = await env.PEOPLE.prepare(
    `select message_id, subject, body, headers, organization_id from outbox where "to" = ? and channel = 'email' order by created_at, rowid`,
  )
    .bind(to)
    .all<OutboxEmail>()
  return results
}
