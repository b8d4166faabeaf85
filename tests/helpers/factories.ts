/** Small factories: every test makes its own organization and data through the real API. */
import { SELF } from 'cloudflare:test'

export const BASE = 'https://homebase.test'

let counter = 0
/** A unique suffix for emails and names within one test file run. */
export const unique = () =>
  `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`

export type TestOrg = { organizationId: string; userId: string; apiKey: string; email: string; password: string }

/** Signs up a new business through the API. */
export async function createOrg(overrides: Record<string, unknown> = {}): Promise<TestOrg> {
  const email = `owner-${unique()}@example.com`
  const password = 'correct horse battery'
  const res = await SELF.fetch(`${BASE}/api/v1/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, organization_name: 'Sparkle Cleaning', ...overrides }),
  })
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${await res.text()}`)
  const body = await res.json<{ organization_id: string; user_id: string; api_key: string }>()
  return { organizationId: body.organization_id, userId: body.user_id, apiKey: body.api_key, email, password }
}

/** Calls the JSON API as an organization. */
export function api(
  org: TestOrg | null,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return SELF.fetch(`${BASE}${path}`, {
    method,
    headers: {
      ...(org ? { authorization: `Bearer ${org.apiKey}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

/** Creates a client through the API and returns its ids. */
export async function createClient(org: TestOrg, body: Record<string, unknown>) {
  const res = await api(org, 'POST', '/api/v1/clients', body)
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`create client failed: ${res.status} ${await res.text()}`)
  return res.json<{ org_client_id: string; person_id: string; created: boolean }>()
}
