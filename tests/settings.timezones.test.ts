/** Time zones as owners type them: US names find their zone, the API keeps only real IANA zones. */
import { describe, expect, it } from 'vitest'
import { allZones, ianaZone, searchZones, zoneFromInput } from '../src/timezones'
import { Staff } from './helpers/browserless'
import { createOrg } from './helpers/factories'

describe('searchZones', () => {
  const first = (q: string) => searchZones(q)[0]?.zone

  it('finds the US zones by the names people use, in any case', () => {
    expect(first('Central')).toBe('America/Chicago')
    expect(first('central')).toBe('America/Chicago')
    expect(first('Eastern')).toBe('America/New_York')
    expect(first('Mountain')).toBe('America/Denver')
    expect(first('Pacific')).toBe('America/Los_Angeles')
    expect(first('Alaska')).toBe('America/Anchorage')
    expect(first('Hawaii')).toBe('Pacific/Honolulu')
    expect(first('Arizona')).toBe('America/Phoenix')
  })

  it('finds any zone by its city or IANA name, spaces for underscores', () => {
    expect(searchZones('new york').map((z) => z.zone)).toContain('America/New_York')
    expect(searchZones('Kolkata').map((z) => z.zone)).toEqual(['Asia/Kolkata'])
    expect(searchZones('europe/lon').map((z) => z.zone)).toContain('Europe/London')
    expect(searchZones('Atlantis')).toEqual([])
  })

  it('offers the US zones before anything is typed', () => {
    const zones = searchZones('').map((z) => z.zone)
    expect(zones.slice(0, 4)).toEqual(['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix'])
  })

  it('lists every zone once, by the names IANA uses today', () => {
    const zones = allZones().map((z) => z.zone)
    expect(new Set(zones).size).toBe(zones.length)
    expect(zones).toContain('Asia/Kolkata')
    expect(zones).toContain('Europe/Kyiv')
    expect(zones).not.toContain('Asia/Calcutta')
    expect(zones).not.toContain('EST')
    expect(zones.length).toBeGreaterThan(300)
  })
})

describe('ianaZone and zoneFromInput', () => {
  it('keeps only real Area/Location zones (and UTC)', () => {
    expect(ianaZone('America/Chicago')).toBe('America/Chicago')
    expect(ianaZone(' america/chicago ')).toBe('America/Chicago')
    expect(ianaZone('UTC')).toBe('UTC')
    for (const bad of ['Central', 'EST', 'CST6CDT', 'US/Central', 'Etc/GMT+5', 'Mars/Olympus', '', 'America/'])
      expect(ianaZone(bad)).toBeNull()
  })

  it('reads a US name typed in full as its zone, as the settings form does', () => {
    expect(zoneFromInput('Central')).toBe('America/Chicago')
    expect(zoneFromInput('central time')).toBe('America/Chicago')
    expect(zoneFromInput('Pacific Time (US & Canada)')).toBe('America/Los_Angeles')
    expect(zoneFromInput('Hawaii')).toBe('Pacific/Honolulu')
    expect(zoneFromInput('Europe/Paris')).toBe('Europe/Paris')
    expect(zoneFromInput('Somewhere')).toBeNull()
  })
})

describe('GET /app/settings/timezones', () => {
  it('answers the list of matching zones as options for the field', async () => {
    const org = await createOrg()
    const staff = new Staff()
    await staff.post('/login', { email: org.email, password: org.password })
    const res = await staff.get('/app/settings/timezones?timezone=Central', { 'hx-request': 'true' })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toMatch(/^<option value="America\/Chicago">Central Time \(US &amp; Canada\)<\/option>/)
    expect(html).not.toContain('<html')
  })

  it('is for signed-in staff only', async () => {
    const res = await new Staff().get('/app/settings/timezones?timezone=Central')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toMatch(/^\/login/)
  })
})
