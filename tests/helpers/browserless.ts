/** Page requests without a browser: form posts with Origin, cookies carried by hand. */
import { SELF } from 'cloudflare:test'
import { BASE } from './factories'

/** A tiny cookie jar for one staff member. */
export class Staff {
  cookie = ''

  async get(path: string, headers: Record<string, string> = {}) {
    return SELF.fetch(`${BASE}${path}`, { headers: { cookie: this.cookie, ...headers }, redirect: 'manual' })
  }

  async post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    const res = await SELF.fetch(`${BASE}${path}`, {
      method: 'POST',
      headers: { origin: BASE, 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookie, ...headers },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    })
    const set = res.headers.get('set-cookie')
    if (set) {
      const [pair] = set.split(';')
      this.cookie = pair!.endsWith('=') ? '' : pair!
    }
    return res
  }

  /** The CSRF token the app page embeds for this session. */
  async csrfToken(): Promise<string> {
    const html = await (await this.get('/app/settings')).text()
    const token = html.match(/name="_csrf" value="([^"]+)"/)?.[1]
    if (!token) throw new Error('no CSRF token on the settings page')
    return token
  }
}
