// The businesses of the load benchmark (bench/README.md, "Load"), made through the public API and pages only.
// Each signs up, gets three services, a few thousand clients from one CSV import, a team who accept
// their invites with a password, a month of visits with crews, leads, invoices, and a Housecall Pro and
// a Jobber connection with their own webhook secrets. Names come from a seeded PRNG: every run is the same.

const FIRST = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth']
  .concat(['William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen'])
  .concat(['Daniel', 'Nancy', 'Matthew', 'Lisa', 'Anthony', 'Betty', 'Mark', 'Sandra', 'Steven', 'Ashley', 'Rosa'])
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez']
  .concat(['Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin'])
  .concat(['Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Diaz'])
const STREETS = ['Main St', 'Oak Ave', 'Pine St', 'Maple Dr', 'Cedar Ln', 'Elm St', 'Lake Rd', 'Hill St', 'Park Ave']
/** One area code per business, so every client's phone is its own across the run. */
const AREA_CODES = ['415', '503', '617', '312', '206', '512', '303', '404', '602', '614']
const SERVICES = [
  { name: 'Gutter cleaning', duration_minutes: 90, price_cents: 18_000 },
  { name: 'Window washing', duration_minutes: 120, price_cents: 24_000 },
  { name: 'Pressure washing', duration_minutes: 60, price_cents: 15_000 },
]
export const TIMEZONE = 'America/Los_Angeles'
const DAY = 86_400_000

/** mulberry32: the same seed gives the same run. */
export function random(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
export const pick = (rnd, items) => items[Math.floor(rnd() * items.length)]

/** Client `i` of business `b`: a name, an email and a phone no other client of the run has. */
export function person(b, i) {
  const rnd = random(b * 100_003 + i)
  const first = pick(rnd, FIRST)
  const last = pick(rnd, LAST)
  const number = `${300 + Math.floor(i / 10_000)}${String(i % 10_000).padStart(4, '0')}`
  const area = AREA_CODES[b % AREA_CODES.length]
  return {
    first,
    last,
    email: `${first}.${last}.${b}-${i}@load.example`.toLowerCase(),
    phone: `(${area}) ${number.slice(0, 3)}-${number.slice(3)}`,
    e164: `+1${area}${number}`,
    street: `${1 + (i % 9000)} ${pick(rnd, STREETS)}`,
  }
}

/** The business's clients as another CRM exports them. */
function clientsCsv(b, clients) {
  const lines = ['First Name,Last Name,Email,Phone,Address,City,State,Zip,Tags,Status']
  for (let i = 0; i < clients; i++) {
    const p = person(b, i)
    const status = i % 10 === 9 ? 'lead' : 'active'
    lines.push(
      `${p.first},${p.last},${p.email},${p.phone},${p.street},Oakland,CA,94607,"load; group${i % 7}",${status}`,
    )
  }
  return lines.join('\r\n')
}

/** Runs `work(i)` for i in [0, n) with at most `width` at once. */
export async function inParallel(n, width, work) {
  let next = 0
  const lane = async () => {
    while (next < n) await work(next++)
  }
  await Promise.all(Array.from({ length: Math.min(width, n) }, lane))
}

/** API calls with a bearer key, and the form posts of accepting an invite; any unexpected status throws. */
export function apiClient(base) {
  const call = async (method, path, body, key, type = 'application/json') => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body ? { 'content-type': type } : {}) },
      body: body === undefined ? undefined : type === 'application/json' ? JSON.stringify(body) : body,
      signal: AbortSignal.timeout(120_000),
    })
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${(await res.text()).slice(0, 300)}`)
    return res.json()
  }
  const form = (path, fields) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    })
  return { call, form }
}

/** Imports the CSV and waits until the queue has written every row. */
async function importClients(call, key, b, clients) {
  const { import_id } = await call('POST', '/api/v1/clients/import', clientsCsv(b, clients), key, 'text/csv')
  for (const until = Date.now() + 10 * 60_000; Date.now() < until; ) {
    const state = await call('GET', `/api/v1/imports/${import_id}`, undefined, key)
    if (state.status === 'failed') throw new Error(`import of business ${b} failed: ${JSON.stringify(state)}`)
    if (state.status === 'done') return state
    await new Promise((r) => setTimeout(r, 1000))
  }
  throw new Error(`import of business ${b} not done after 10 minutes`)
}

/** Every client id of the business, page by page, with the row's name (for search and booking). */
async function listClients(call, key) {
  const all = []
  let cursor = ''
  do {
    const page = await call('GET', `/api/v1/clients?limit=200${cursor ? `&cursor=${cursor}` : ''}`, undefined, key)
    all.push(...page.items.map((c) => ({ id: c.org_client_id, first: c.first_name, last: c.last_name })))
    cursor = page.next_cursor ? encodeURIComponent(page.next_cursor) : ''
  } while (cursor)
  return all
}

/**
 * Business `b` with `clients` clients and `staff` people who sign in (the owner and invited members),
 * `jobs` visits over four weeks (one behind, three ahead), leads and invoices.
 */
export async function seedBusiness(base, b, { clients, staff, jobs, leads, invoices }) {
  const { call, form } = apiClient(base)
  const rnd = random(7919 * (b + 1))
  const owner = { email: `owner-${b}@load.example`, password: `load password ${b}` }
  const org = await call('POST', '/api/v1/signup', {
    ...owner,
    organization_name: `Load Home Services ${b}`,
    timezone: TIMEZONE,
  })
  const key = org.api_key
  // Quiet hours off: the campaign and the confirmations go out whatever the hour of the run.
  await call('PATCH', '/api/v1/organization', { quiet_hours: { start: '00:00', end: '00:00' } }, key)
  const services = []
  for (const s of SERVICES) services.push((await call('POST', '/api/v1/services', s, key)).service_id)
  const imported = await importClients(call, key, b, clients)

  const members = [owner]
  await inParallel(staff - 1, 3, async (m) => {
    const member = { email: `staff-${b}-${m}@load.example`, password: `load password ${b}-${m}` }
    const invite = await call(
      'POST',
      '/api/v1/team/invites',
      { email: member.email, role: 'member', name: `Tech ${b}-${m}` },
      key,
    )
    const token = invite.invite_url.split('/invite/')[1]
    const res = await form(`/invite/${token}`, { password: member.password, name: `Tech ${b}-${m}` })
    if (res.status !== 303) throw new Error(`accepting invite ${member.email}: ${res.status} ${await res.text()}`)
    members.push(member)
  })
  const team = (await call('GET', '/api/v1/team', undefined, key)).items.map((t) => t.user_id)

  const all = await listClients(call, key)
  const jobIds = []
  await inParallel(jobs, 6, async () => {
    const client = pick(rnd, all)
    const day = Math.floor(rnd() * 28) - 7
    const start = new Date(Date.now() + day * DAY)
    start.setUTCHours(15 + Math.floor(rnd() * 9), rnd() < 0.5 ? 0 : 30, 0, 0)
    const created = await call(
      'POST',
      '/api/v1/jobs',
      {
        org_client_id: client.id,
        service_id: pick(rnd, services),
        start_at: start.toISOString(),
        end_at: new Date(start.getTime() + 90 * 60_000).toISOString(),
        assigned_to: [pick(rnd, team)],
        notify: false,
        ...(day < 0 ? { allow_past: true } : {}),
      },
      key,
    )
    jobIds.push(created.job.id)
  })
  await inParallel(leads, 6, async (l) => {
    const p = person(b, 900_000 + l)
    await call(
      'POST',
      '/api/v1/leads',
      {
        first_name: p.first,
        last_name: p.last,
        phone: p.phone,
        source: pick(rnd, ['web_form', 'phone', 'referral']),
        estimated_value_cents: 10_000 + Math.floor(rnd() * 200) * 500,
      },
      key,
    )
  })
  const invoiceIds = []
  await inParallel(invoices, 6, async () => {
    const due = new Date(Date.now() + Math.floor(rnd() * 30) * DAY).toISOString().slice(0, 10)
    const made = await call(
      'POST',
      '/api/v1/invoices',
      { org_client_id: pick(rnd, all).id, total_cents: 12_000 + Math.floor(rnd() * 400) * 100, due_date: due },
      key,
    )
    invoiceIds.push(made.invoice.id)
  })
  const connect = async (provider) => {
    const secret = `load-${provider}-secret-${b}`
    return {
      id: (await call('POST', '/api/v1/integrations', { provider, webhook_secret: secret }, key)).connection_id,
      secret,
    }
  }
  return {
    b,
    key,
    organizationId: org.organization_id,
    members,
    services,
    clients: all,
    imported,
    jobIds,
    invoiceIds,
    housecallpro: await connect('housecallpro'),
    jobber: await connect('jobber'),
  }
}
