/** Helpers for portal tests: signed links, a homeowner's cookie jar, codes read from the outbox. */
import { env } from 'cloudflare:test'
import { signLinkToken, type LinkPurpose } from '../../src/messaging/portal-token'
import { CookieJar } from './browserless'
import { api, createClient, createOrg, unique, type TestOrg } from './factories'

/** `/p/{token}` for a client, signed with the Worker's key ring (its current key id). */
export async function portalPath(
  org: TestOrg,
  orgClientId: string,
  opts: { p?: LinkPurpose; r?: string; days?: number; now?: number } = {},
) {
  const claims = {
    o: org.organizationId,
    c: orgClientId,
    ...(opts.p ? { p: opts.p } : {}),
    ...(opts.r ? { r: opts.r } : {}),
  }
  return `/p/${await signLinkToken(env, claims, opts.days ?? 30, opts.now)}`
}

/** A homeowner's browser without a browser: form posts with Origin, the `hb_home` cookie carried by hand. */
export class Homeowner extends CookieJar {
  constructor() {
    super('hb_home')
  }

  /** The CSRF token of the signed-in page at `path`. */
  async csrfToken(path = '/p/me'): Promise<string> {
    const token = (await (await this.get(path)).text()).match(/name="_csrf" value="([^"]+)"/)?.[1]
    if (!token) throw new Error(`no CSRF token on ${path}`)
    return token
  }
}

/** The newest 6-digit code the outbox holds for `to`. */
export async function codeFromOutbox(to: string): Promise<string> {
  const row = await env.PEOPLE.prepare('select body from outbox where "to" = ? order by created_at desc limit 1')
    .bind(to)
    .first<{ body: string }>()
  const code = row?.body.match(/\b(\d{6})\b/)?.[1]
  if (!code) throw new Error(`no code in the outbox for ${to}`)
  return code
}

/** A business with one client (a California phone and an email) and a job next year. */
export async function businessWithClient(
  name: string,
  client: { phone?: string; email?: string; first_name?: string } = {},
) {
  const org = await createOrg({ organization_name: name, timezone: 'America/Los_Angeles' })
  await api(org, 'PATCH', '/api/v1/organization', {
    quiet_hours: { start: '00:00', end: '00:00' },
    phone: '(415) 555-0199',
  })
  const phone = client.phone ?? `+1415555${String(1000 + Math.floor(Math.random() * 8999))}`
  const email = client.email ?? `home-${unique()}@example.com`
  const made = await createClient(org, {
    first_name: client.first_name ?? 'Robin',
    phone,
    email,
    address: { address1: '9 Elm St', city: 'Oakland', state: 'CA', postal: '94610' },
  })
  return { org, client: made, phone, email }
}

/** Books a job through the API; returns its id. */
export async function bookJob(org: TestOrg, orgClientId: string, startAt: string, extra: Record<string, unknown> = {}) {
  const res = await api(org, 'POST', '/api/v1/jobs', { org_client_id: orgClientId, start_at: startAt, ...extra })
  if (res.status !== 201) throw new Error(`job: ${res.status} ${await res.text()}`)
  return (await res.json<{ job: { id: string } }>()).job.id
}

/** Creates an open invoice through the API; returns its id and number. */
export async function openInvoice(org: TestOrg, orgClientId: string, totalCents = 14_500) {
  const res = await api(org, 'POST', '/api/v1/invoices', {
    org_client_id: orgClientId,
    total_cents: totalCents,
    due_date: '2031-01-15',
  })
  if (res.status !== 201) throw new Error(`invoice: ${res.status} ${await res.text()}`)
  return (await res.json<{ invoice: { id: string; number: number } }>()).invoice
}

/** Signs a homeowner in from a portal link by a code sent to the card's phone (`sms`) or email, read from the outbox. */
export async function signInFromLink(home: Homeowner, path: string, channel: 'sms' | 'email', to: string) {
  const sent = await home.post(`${path}/verify`, { channel })
  if (sent.status !== 303) throw new Error(`code not sent: ${sent.status} ${await sent.text()}`)
  const res = await home.post(`${path}/verify/code`, { code: await codeFromOutbox(to) })
  if (res.headers.get('location') !== '/p/me?done=verified')
    throw new Error(`not signed in: ${res.status} ${await res.text()}`)
}

/** A fresh US mobile number in E.164, with the way a person types it. */
export function newPhone(): { e164: string; typed: string } {
  const line = String(1000 + Math.floor(Math.random() * 8999))
  return { e164: `+1415555${line}`, typed: `(415) 555-${line}` }
}
