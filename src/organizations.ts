/** Organizations (businesses) in the registry, and how to reach each one's ORG object. */
import { clock } from './clock'
import { eq } from 'drizzle-orm'
import type { z } from 'zod'
import type { OrgSettings } from '../durable-objects/org/org-object'
import { forgetOrganization } from './auth/cache'
import { peopleDb, type PeopleDb } from './db'
import type { Env } from './env'
import { conflict } from './errors'
import { checkSenderNumber, isSenderNumberTaken } from './messaging/sender-number'
import { organizations } from './people/schema'
import { requirePhone } from './people/service'
import type { organizationPatch } from './routes/api/organization'

export type Organization = { id: string; name: string; country: string; timezone: string }

/** An organization's public fields, or null. */
export async function getOrganization(db: PeopleDb, id: string): Promise<Organization | null> {
  const row = await db
    .select({
      id: organizations.id,
      name: organizations.name,
      country: organizations.country,
      timezone: organizations.timezone,
    })
    .from(organizations)
    .where(eq(organizations.id, id))
    .get()
  return row ?? null
}

/** The stub of the organization's Durable Object (one per organization, named by its id). */
export function orgStub(env: Env, organizationId: string) {
  return env.ORG.get(env.ORG.idFromName(organizationId))
}

/** True when `tz` is an IANA time zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

type OrgStub = ReturnType<typeof orgStub>

/** The organization as the API shows it: every field in snake_case under the name it is set by. */
function organizationView(row: typeof organizations.$inferSelect, settings: OrgSettings) {
  return {
    id: row.id,
    organization_id: row.id,
    name: row.name,
    slug: row.slug,
    country: row.country,
    timezone: row.timezone,
    phone: row.phone,
    google_review_url: row.googleReviewUrl,
    ...settings,
    sms_from: row.smsFrom,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  }
}

/** `GET /api/v1/organization`: the registry's row and the object's settings. */
export async function showOrganization(env: Env, organizationId: string, org: OrgStub) {
  const row = await peopleDb(env.PEOPLE).select().from(organizations).where(eq(organizations.id, organizationId)).get()
  return organizationView(row!, await org.settings())
}

/**
 * `PATCH /api/v1/organization`: phones read in the country the business is moving to (if any), a
 * sender number checked as one business's, the registry's row written, then the object's settings
 * in one call.
 */
export async function updateOrganization(
  env: Env,
  organization: Organization,
  org: OrgStub,
  input: z.output<typeof organizationPatch>,
) {
  const country = input.country ?? organization.country
  const phone = input.phone ? requirePhone(input.phone, country, 'phone') : input.phone
  const smsFrom = input.sms_from ? requirePhone(input.sms_from, country, 'sms_from') : input.sms_from
  const db = peopleDb(env.PEOPLE)
  if (smsFrom) await checkSenderNumber(env, db, organization.id, smsFrom)
  const [row] = await db
    .update(organizations)
    .set({
      ...(input.name ? { name: input.name } : {}),
      ...(input.timezone ? { timezone: input.timezone } : {}),
      ...(input.country ? { country: input.country } : {}),
      ...(input.google_review_url !== undefined ? { googleReviewUrl: input.google_review_url } : {}),
      ...(phone !== undefined ? { phone } : {}),
      ...(smsFrom !== undefined ? { smsFrom } : {}),
      updatedAt: clock.now().toISOString(),
    })
    .where(eq(organizations.id, organization.id))
    .returning()
    .catch((error: unknown) => {
      // Two businesses claiming one number at the same moment: the unique index lets one through.
      if (isSenderNumberTaken(error)) throw conflict('Another business already sends from that number.')
      throw error
    })
  forgetOrganization(organization.id)
  const settings = await org.updateSettings(
    {
      organization_id: organization.id,
      name: row!.name,
      country: row!.country,
      timezone: row!.timezone,
      google_review_url: row!.googleReviewUrl,
      phone: row!.phone,
    },
    {
      ...input,
      payment_instructions: input.payment_instructions === '' ? null : input.payment_instructions,
      ...(smsFrom !== undefined ? { sms_from: smsFrom } : {}),
    },
  )
  return organizationView(row!, settings)
}
