// The demo business that `npm start` seeds into an empty data folder, through the public API.
export const DEMO_LOGIN = { email: 'demo@homebase.test', password: 'homebase-demo' }

const CLIENTS = [
  { first_name: 'Maria', last_name: 'Gonzalez', email: 'maria.gonzalez@example.com', phone: '(415) 555-0101', status: 'active', tags: ['weekly', 'vip'],
    address: { label: 'Home', address1: '742 Valencia St', city: 'San Francisco', state: 'CA', postal: '94110' }, notes: 'Two dogs; side gate code 4412.' },
  { first_name: 'James', last_name: 'Whitaker', email: 'j.whitaker@example.com', phone: '(415) 555-0102', status: 'active', tags: ['biweekly'],
    address: { address1: '1850 Union St', city: 'San Francisco', state: 'CA', postal: '94123' } },
  { first_name: 'Priya', last_name: 'Raman', email: 'priya.raman@example.com', phone: '(510) 555-0103', status: 'lead', tags: ['move-out'],
    address: { address1: '2201 Shattuck Ave', city: 'Berkeley', state: 'CA', postal: '94704' }, notes: 'Asked for a move-out quote in December.' },
  { first_name: 'Tom', last_name: 'Becker', phone: '(650) 555-0104', status: 'inactive', tags: [],
    address: { address1: '88 El Camino Real', city: 'Menlo Park', state: 'CA', postal: '94025' } },
]

/** Creates the demo owner, organization and clients; returns the organization id. */
export async function seedDemo(baseUrl) {
  const signup = await post(baseUrl, '/api/v1/signup', null, {
    ...DEMO_LOGIN,
    organization_name: 'Sparkle & Shine Cleaning',
    timezone: 'America/Los_Angeles',
    name: 'Dana Demo',
  })
  for (const client of CLIENTS) await post(baseUrl, '/api/v1/clients', signup.api_key, client)
  return signup
}

async function post(baseUrl, path, key, body) {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`seeding ${path} failed: ${res.status} ${await res.text()}`)
  return res.json()
}
