// The load benchmark's staff: each signs in through the login form, reads the CSRF token its pages carry,
// then browses and books as a person does, thinking between clicks (bench/README.md, "Load").
import { person, pick, random, TIMEZONE } from './load-seed.mjs'

/** What a session does, with how often (weights): reading pages, searching, booking and editing visits. */
const ACTIONS = [
  ['dashboard', 12],
  ['clients', 10],
  ['search', 12],
  ['client', 14],
  ['week', 10],
  ['day', 8],
  ['leads', 6],
  ['invoice', 8],
  ['book', 12],
  ['edit', 8],
]
/** New clients booked in this run so far: each gets a number of its own. */
let newClients = 0
const TOTAL_WEIGHT = ACTIONS.reduce((n, [, w]) => n + w, 0)
/** A keystroke the search box sends (htmx waits 250 ms after typing stops): one request per 300 ms of typing. */
const KEYSTROKE_MS = 300

const localDate = (ms) => new Intl.DateTimeFormat('en-CA', { timeZone: TIMEZONE }).format(new Date(ms))
const pathOf = (location, base) => {
  const url = new URL(location, base)
  return url.pathname + url.search
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** Times one request to its last byte; a wrong status or a network error is an error of its group. */
export async function timed(recorder, group, url, init, expected) {
  const started = performance.now()
  try {
    const res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(30_000) })
    const body = await res.text()
    const ms = performance.now() - started
    const ok = expected.includes(res.status)
    // A refused form says why beside its fields; anything else, its first bytes.
    const said = [...body.matchAll(/class="(?:error|notice error)"[^>]*>([^<]+)</g)].map((m) => m[1]).join('; ')
    recorder.add(group, ms, ok ? null : `${res.status}`, ok ? undefined : said || body.slice(0, 200), started)
    return { res, body, ok }
  } catch (error) {
    const kind = error.name === 'TimeoutError' ? 'timeout' : 'network'
    recorder.add(group, performance.now() - started, kind, String(error.cause?.code ?? error.message), started)
    return { res: null, body: '', ok: false }
  }
}

/** A signed-in staff member: cookie and CSRF token kept by hand, as a browser keeps them. */
export async function signIn(base, member) {
  const page = await fetch(`${base}/login`)
  if (page.status !== 200) throw new Error(`GET /login: ${page.status}`)
  await page.text()
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: member.email, password: member.password, next: '/app' }).toString(),
  })
  const cookie = res.headers.get('set-cookie')?.split(';')[0]
  if (res.status !== 303 || !cookie) throw new Error(`sign-in of ${member.email}: ${res.status}`)
  const html = await (await fetch(`${base}/app`, { headers: { cookie } })).text()
  const csrf =
    /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? /X-CSRF-Token&quot;:&quot;([^&]+)&quot;/.exec(html)?.[1]
  if (!csrf) throw new Error(`no CSRF token on /app for ${member.email}`)
  return { cookie, csrf }
}

/**
 * One staff member's session until `deadline`: a click, the page read to its end, then 0.5–2 s of
 * thought (seeded), again. Bookings and edits follow their redirect as a browser does.
 */
export async function staffSession({ base, business, session, index, deadline, recorder, thinkTime = true }) {
  const rnd = random(104_729 * (index + 1))
  const headers = { cookie: session.cookie }
  // Each time also counted for this session's business, to compare the business sending the campaign with the others.
  const own = {
    add(group, ms, ...rest) {
      recorder.add(group, ms, ...rest)
      recorder.tag(business.b, ms)
    },
  }
  const get = (group, path, extra = {}) =>
    timed(own, `staff: ${group}`, `${base}${path}`, { headers: { ...headers, ...extra } }, [200])
  const post = (group, path, fields) =>
    timed(
      own,
      `staff: ${group}`,
      `${base}${path}`,
      {
        method: 'POST',
        headers: { ...headers, origin: base, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: session.csrf, ...fields }).toString(),
      },
      [303],
    )
  const think = () => (thinkTime ? sleep(500 + rnd() * 1500) : Promise.resolve())
  const client = () => pick(rnd, business.clients)

  const actions = {
    dashboard: () => get('dashboard', '/app'),
    clients: () => get('clients list', '/app/clients'),
    client: () => get('client page', `/app/clients/${client().id}`),
    week: () =>
      get(
        'calendar week',
        `/app/schedule?view=week&date=${localDate(Date.now() + Math.floor(rnd() * 14) * 86_400_000)}`,
      ),
    day: () =>
      get('calendar day', `/app/schedule?view=day&date=${localDate(Date.now() + Math.floor(rnd() * 7) * 86_400_000)}`),
    leads: () => get('leads board', '/app/leads'),
    invoice: () => get('invoice', `/app/invoices/${pick(rnd, business.invoiceIds)}`),
    async search() {
      // Typing a last name (or a first name) into the clients search: the rows fragment per keystroke.
      const c = client()
      const word = rnd() < 0.7 ? c.last : c.first
      for (let n = 2; n <= Math.min(5, word.length) && performance.now() < deadline; n++) {
        await get('client search (keystroke)', `/app/clients?q=${encodeURIComponent(word.slice(0, n))}`, {
          'hx-request': 'true',
        })
        await sleep(KEYSTROKE_MS)
      }
      await think()
      await get('client page', `/app/clients/${c.id}`)
    },
    async book() {
      await get('new job form', '/app/jobs/new')
      await think()
      const day = localDate(Date.now() + (1 + Math.floor(rnd() * 13)) * 86_400_000)
      const time = `${String(8 + Math.floor(rnd() * 9)).padStart(2, '0')}:${rnd() < 0.5 ? '00' : '30'}`
      const fields = {
        start: `${day}T${time}`,
        duration_minutes: '90',
        service_id: pick(rnd, business.services),
        price: '180.00',
        notes: 'Side gate code 4411',
      }
      if (rnd() < 0.7) Object.assign(fields, { client_mode: 'existing', org_client_id: client().id })
      else {
        // A new client: a number of its own, out of the imported clients' range.
        const p = person(business.b, 500_000 + newClients++)
        Object.assign(fields, { client_mode: 'new', first_name: p.first, last_name: p.last, phone: p.phone })
      }
      const { res } = await post('book a job (POST)', '/app/jobs', fields)
      const location = res?.headers.get('location')
      const id = location && new URL(location, base).searchParams.get('booked')
      if (id) business.jobIds.push(id)
      if (location) await get('calendar week', pathOf(location, base))
    },
    async edit() {
      const id = pick(rnd, business.jobIds)
      await get('job page', `/app/jobs/${id}`)
      await think()
      const price = (150 + Math.floor(rnd() * 20) * 5).toFixed(2)
      const { res } = await post('edit a job (POST)', `/app/jobs/${id}/edit`, { price, notes: `Gate code ${index}` })
      const location = res?.headers.get('location')
      if (location) await get('job page', pathOf(location, base))
    },
  }

  // People do not all click at the same instant: each session starts within the first two seconds.
  await sleep(rnd() * 2000)
  while (performance.now() < deadline) {
    let roll = rnd() * TOTAL_WEIGHT
    const [name] = ACTIONS.find(([, w]) => (roll -= w) < 0) ?? ACTIONS[0]
    await actions[name]()
    await think()
  }
}
