/** A business's slug: its name as a short unique word, shown on GET /api/v1/organization. */
import { describe, expect, it } from 'vitest'
import { slugify } from '../src/organizations-slug'
import { api, createOrg, unique } from './helpers/factories'

const slugOf = async (org: Awaited<ReturnType<typeof createOrg>>) =>
  (await (await api(org, 'GET', '/api/v1/organization')).json<{ slug: string }>()).slug

describe('the organization slug', () => {
  it('is the name in lower case with dashes, and another business with the same name gets its own', async () => {
    const name = `Sparkle & Shine ${unique()}`
    const first = await createOrg({ organization_name: name })
    const second = await createOrg({ organization_name: name })
    const a = await slugOf(first)
    const b = await slugOf(second)
    expect(a).toBe(slugify(name))
    expect(a).toMatch(/^sparkle-shine-[a-z0-9]+$/)
    expect(b).toMatch(new RegExp(`^${a}-[0-9a-f]{4,}$`))
  })

  it('lets businesses of the same name sign up at the same moment, each with its own slug', async () => {
    const name = `Fresh Start ${unique()}`
    const orgs = await Promise.all(Array.from({ length: 6 }, () => createOrg({ organization_name: name })))
    const slugs = await Promise.all(orgs.map(slugOf))
    expect(new Set(slugs).size).toBe(6)
    expect(slugs).toContain(slugify(name))
  })

  it('reads names with accents, marks and nothing usable', () => {
    expect(slugify('Crème Brûlée Cleaning, LLC')).toBe('creme-brulee-cleaning-llc')
    expect(slugify("O'Neil's HVAC / Plumbing")).toBe('o-neil-s-hvac-plumbing')
    expect(slugify('***')).toBe('business')
    expect(slugify('A'.repeat(60))).toHaveLength(40)
  })
})
