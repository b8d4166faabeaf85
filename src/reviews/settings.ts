/** The review funnel's one setting, the business's public review link: kept in the registry and copied to the ORG object's profile. */
import { clock } from '../clock'
import { eq } from 'drizzle-orm'
import { peopleDb } from '../db'
import type { Env } from '../env'
import { orgStub } from '../organizations'
import { organizations } from '../people/schema'

/** The organization's public review link, or null. */
export async function googleReviewUrl(env: Env, organizationId: string): Promise<string | null> {
  const row = await peopleDb(env.PEOPLE)
    .select({ url: organizations.googleReviewUrl })
    .from(organizations)
    .where(eq(organizations.id, organizationId))
    .get()
  return row?.url ?? null
}

/** Saves the public review link (null removes it) where the rating page reads it. */
export async function saveGoogleReviewUrl(env: Env, organizationId: string, url: string | null): Promise<void> {
  const [row] = await peopleDb(env.PEOPLE)
    .update(organizations)
    .set({ googleReviewUrl: url, updatedAt: clock.now().toISOString() })
    .where(eq(organizations.id, organizationId))
    .returning()
  if (!row) return
  await orgStub(env, organizationId).setProfile({
    organization_id: row.id,
    name: row.name,
    country: row.country,
    timezone: row.timezone,
    google_review_url: row.googleReviewUrl,
    phone: row.phone,
  })
}
