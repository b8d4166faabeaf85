// The demo business that `npm start` seeds into an empty data folder, through the public API.
export const DEMO_LOGIN = { email: 'demo@homebase.test', password: 'homebase-demo' }

const CLIENTS = [
  {
    first_name: 'Maria',
    last_name: 'Gonzalez',
    email: 'maria.gonzalez@example.com',
    phone: '(415) 555-0101',
    status: 'active',
    tags: ['weekly', 'vip'],
    address: { label: 'Home', address1: '742 Valencia St', city: 'San Francisco', state: 'CA', postal: '94110' },
    notes: 'Two dogs; side gate code 4412.',
  },
  {
    first_name: 'James',
    last_name: 'Whitaker',
    email: 'j.whitaker@example.com',
    phone: '(415) 555-0102',
    status: 'active',
    tags: ['biweekly'],
    address: { address1: '1850 Union St', city: 'San Francisco', state: 'CA', postal: '94123' },
  },
  {
    first_name: 'Priya',
    last_name: 'Raman',
    email: 'priya.raman@example.com',
    phone: '(510) 555-0103',
    status: 'lead',
    tags: ['move-out'],
    address: { address1: '2201 Shattuck Ave', city: 'Berkeley', state: 'CA', postal: '94704' },
    notes: 'Asked for a move-out quote in December.',
  },
  {
    first_name: 'Tom',
    last_name: 'Becker',
    phone: '(650) 555-0104',
    status: 'inactive',
    tags: [],
    address: { address1: '88 El Camino Real', city: 'Menlo Park', state: 'CA', postal: '94025' },
  },
  // Tom again, typed with a typo by someone else on the team: /app/clients/duplicates offers to merge the two cards.
  {
    first_name: 'Tom',
    last_name: 'Beker',
    phone: '650.555.0104',
    status: 'lead',
    tags: ['referral'],
    address: { address1: '88 El Camino Real', city: 'Menlo Park', state: 'CA', postal: '94025' },
  },
]

/** Creates the demo owner, organization, clients, services, jobs and invoices; returns the sign-up answer. */
export async function seedDemo(baseUrl) {
  const signup = await post(baseUrl, '/api/v1/signup', null, {
    ...DEMO_LOGIN,
    organization_name: 'Sparkle & Shine Cleaning',
    timezone: 'America/Los_Angeles',
    name: 'Dana Demo',
  })
  const key = signup.api_key
  const clients = []
  for (const client of CLIENTS) clients.push(await post(baseUrl, '/api/v1/clients', key, client))
  const standard = await post(baseUrl, '/api/v1/services', key, {
    name: 'Standard clean',
    duration_minutes: 120,
    price_cents: 14500,
  })
  await post(baseUrl, '/api/v1/services', key, { name: 'Deep clean', duration_minutes: 240, price_cents: 28000 })
  // Reviews and journeys: a public review page, a tech with a QR code, and a thank-you journey
  // that Maria's completed job below enrolls her in (its first text shows on /dev/outbox).
  await call(baseUrl, 'PATCH', '/api/v1/organization', key, {
    google_review_url: 'https://g.page/r/sparkle-and-shine-demo/review',
    phone: '(415) 555-0199',
  })
  const tech = await post(baseUrl, '/api/v1/techs', key, { name: 'Alex Rivera', email: 'alex@sparkle.example' })
  await post(baseUrl, `/api/v1/techs/${tech.id}/qr-codes`, key, { label: 'Van sticker' })
  await post(baseUrl, '/api/v1/journeys', key, {
    name: 'Thank you, then a review request',
    trigger_event: 'job_completed',
    status: 'active',
    settings: { stop_on: ['replied', 'job_booked'] },
    steps: [
      {
        type: 'sms',
        purpose: 'thank_you',
        body: 'Hi {{first_name}}, thank you for choosing {{business_name}}! We hope your home feels great.',
      },
      { type: 'wait', delay_minutes: 1440 },
      { type: 'review_request', channel: 'sms' },
    ],
  })

  // Maria: a job tomorrow at 10:00 (reminders follow) and a paid one last week with its invoice.
  const day = 86_400_000
  const at10 = (offsetDays) => {
    const d = new Date(Date.now() + offsetDays * day)
    d.setUTCHours(17, 0, 0, 0)
    return d.toISOString()
  }
  await post(baseUrl, '/api/v1/jobs', key, {
    org_client_id: clients[0].org_client_id,
    service_id: standard.service_id,
    start_at: at10(1),
    notes: 'Bring the pet-safe cleaner.',
  })
  const past = await post(baseUrl, '/api/v1/jobs', key, {
    org_client_id: clients[0].org_client_id,
    service_id: standard.service_id,
    start_at: at10(-7),
  })
  await call(baseUrl, 'PATCH', `/api/v1/jobs/${past.job.id}`, key, { status: 'completed' })
  const paid = await post(baseUrl, '/api/v1/invoices', key, {
    org_client_id: clients[0].org_client_id,
    job_id: past.job.id,
    total_cents: 14500,
    due_date: isoDate(-3),
  })
  await post(baseUrl, `/api/v1/invoices/${paid.invoice.id}/payments`, key, { amount_cents: 14500 })
  // Tom: a quote visit a day and a minute from now, so its 24 h reminder falls due a minute after
  // start-up: run the cron (URL in the banner) and it appears on /dev/outbox (or waits for quiet hours to end).
  await post(baseUrl, '/api/v1/jobs', key, {
    org_client_id: clients[3].org_client_id,
    start_at: new Date(Date.now() + day + 60_000).toISOString(),
    price_cents: 0,
    notes: 'Quote visit',
  })
  // James: a job in three days and an open invoice due next week; Priya: an overdue one.
  await post(baseUrl, '/api/v1/jobs', key, {
    org_client_id: clients[1].org_client_id,
    service_id: standard.service_id,
    start_at: at10(3),
  })
  await post(baseUrl, '/api/v1/invoices', key, {
    org_client_id: clients[1].org_client_id,
    total_cents: 14500,
    due_date: isoDate(7),
  })
  await post(baseUrl, '/api/v1/invoices', key, {
    org_client_id: clients[2].org_client_id,
    total_cents: 9500,
    due_date: isoDate(-2),
    notes: 'Move-out estimate visit',
  })
  // A campaign ready to preview and send from /app/campaigns.
  await post(baseUrl, '/api/v1/campaigns', key, {
    name: 'Spring deep-clean special',
    channel: 'email',
    segment: { status: ['active'] },
    subject: '15% off a spring deep clean',
    body: 'Hi {{first_name}}, book a deep clean with {{business_name}} this month and save 15%. Reply or call us to book.',
  })
  return signup
}

const isoDate = (offsetDays) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10)

const post = (baseUrl, path, key, body) => call(baseUrl, 'POST', path, key, body)

async function call(baseUrl, method, path, key, body) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`seeding ${method} ${path} failed: ${res.status} ${await res.text()}`)
  return res.json()
}
