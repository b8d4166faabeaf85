/** Page requests without a browser: form posts with Origin, cookies carried by hand. */
import { SELF } from 'cloudflare:test'
import { BASE } from './factories'

/** One session cookie carried by hand: GETs and form posts (with Origin) that follow no redirects. */
export class CookieJar {
  cookie = ''
  /** The whole Set-Cookie header last kept, attributes included. */
  setCookie: string | null = null
  /** The one cookie to keep (e.g. `hb_home`); without it, any Set-Cookie replaces the jar's. */
  readonly #only: string | undefined

  constructor(only?: string) {
    this.#only = only
  }

  async get(path: string, headers: Record<string, string> = {}) {
    return SELF.fetch(`${BASE}${path}`, { headers: { cookie: this.cookie, ...headers }, redirect: 'manual' })
  }

  async post(path: string, fields: Record<string, string> = {}, headers: Record<string, string> = {}) {
    const res = await SELF.fetch(`${BASE}${path}`, {
      method: 'POST',
      headers: { origin: BASE, 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookie, ...headers },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    })
    const set = res.headers.get('set-cookie')
    if (set && (this.#only === undefined || set.startsWith(`${this.#only}=`))) {
      this.setCookie = set
      const [pair] = set.split(';')
      this.cookie = pair!.endsWith('=') ? '' : pair!
    }
    return res
  }
}

/** A tiny cookie jar for one staff member. */
export class Staff extends CookieJar {
  /** The CSRF token the app page embeds for this session. */
  async csrfToken(): Promise<string> {
    const html = await (await this.get('/app/settings')).text()
    const token = html.match(/name="_csrf" value="([^"]+)"/)?.[1]
    if (!token) throw new Error('no CSRF token on the settings page')
    return token
  }
}
