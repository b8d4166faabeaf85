/** A business's slug: its name as a short, unique, URL-safe word (`/book/{slug}`). */
import { eq } from 'drizzle-orm'
import type { PeopleDb } from './db'
import { organizations } from './people/schema'

/** "Sparkle & Shine Cleaning, LLC" → "sparkle-shine-cleaning-llc" (at most 40 characters; "business" when nothing is left). */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '')
  return slug || 'business'
}

/** A slug for a new business: its name's, or with a short random ending when another business has it. */
export async function freeSlug(db: PeopleDb, name: string): Promise<string> {
  const base = slugify(name)
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = attempt === 0 ? base : `${base}-${crypto.randomUUID().slice(0, 4 + attempt)}`
    const taken = await db
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.slug, slug))
      .get()
    if (!taken) return slug
  }
  return `${base}-${crypto.randomUUID().slice(0, 12)}`
}
