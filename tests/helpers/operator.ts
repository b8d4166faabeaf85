/** A platform operator in tests: an account whose email PLATFORM_ADMINS lists (test-bindings.ts), signed up once per test file and signed in after. */
import { SELF } from 'cloudflare:test'
import { Staff } from './browserless'
import { BASE } from './factories'

export const OPERATOR_EMAILS = ['ops@homebase.test', 'support@homebase.test'] as const
const PASSWORD = 'operator password 1'

/** An operator's session (a Staff with the console's CSRF token); the account is made on first use in this file's D1. */
export async function signInOperator(email: (typeof OPERATOR_EMAILS)[number] = 'ops@homebase.test'): Promise<Operator> {
  const res = await SELF.fetch(`${BASE}/api/v1/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD, organization_name: 'HomeBase Operations' }),
  })
  // 409: this file signed the operator up already.
  if (res.status !== 201 && res.status !== 409) throw new Error(`operator signup: ${res.status} ${await res.text()}`)
  const operator = new Operator()
  const login = await operator.post('/login', { email, password: PASSWORD })
  if (login.status !== 303) throw new Error(`operator login: ${login.status}`)
  return operator
}

/** A signed-in operator: page GETs, form posts, and the console's JSON API with the session's CSRF token. */
export class Operator extends Staff {
  #csrf: string | null = null

  /** The CSRF token the console's pages carry for htmx. */
  async consoleToken(): Promise<string> {
    if (this.#csrf) return this.#csrf
    const html = await (await this.get('/admin/plans')).text()
    const token = html.match(/name="_csrf" value="([^"]+)"/)?.[1]
    if (!token) throw new Error('no CSRF token on /admin/plans')
    this.#csrf = token
    return token
  }

  /** A JSON API call under /admin/api as this operator. */
  async api(method: string, path: string, body?: unknown): Promise<Response> {
    return SELF.fetch(`${BASE}${path}`, {
      method,
      headers: {
        cookie: this.cookie,
        ...(method === 'GET' ? {} : { 'x-csrf-token': await this.consoleToken(), origin: BASE }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  }
}
