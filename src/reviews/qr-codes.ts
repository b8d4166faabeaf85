/** Short QR codes and the registry's routes from a code to its organization (D1 `qr_code_routes`). */
import { eq } from 'drizzle-orm'
import type { PeopleDb } from '../db'
import { qrCodeRoutes } from '../people/schema'

/** Crockford's base32: no I, L, O or U, so a code read aloud or typed from a card is not mistaken. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
export const QR_CODE_LENGTH = 8

/** A random 8-character code (40 bits). */
export function newQrCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(QR_CODE_LENGTH))
  return Array.from(bytes, (b) => ALPHABET[b & 31]).join('')
}

/** A code as typed or scanned: upper-case, with the look-alikes Crockford's base32 folds (O→0, I/L→1); null when it cannot be one. */
export function canonicalQrCode(input: string): string | null {
  const code = input.toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1')
  return code.length === QR_CODE_LENGTH && [...code].every((ch) => ALPHABET.includes(ch)) ? code : null
}

/** Registers a fresh code for the organization, drawing again on the rare collision. */
export async function registerQrCode(db: PeopleDb, organizationId: string): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = newQrCode()
    const added = await db
      .insert(qrCodeRoutes)
      .values({ code, organizationId })
      .onConflictDoNothing()
      .returning({ code: qrCodeRoutes.code })
      .all()
    if (added.length > 0) return code
  }
  throw new Error('could not draw a free QR code')
}

/** The organization a code belongs to, or null. */
export async function qrCodeOrganization(db: PeopleDb, code: string): Promise<string | null> {
  return (
    (
      await db
        .select({ organizationId: qrCodeRoutes.organizationId })
        .from(qrCodeRoutes)
        .where(eq(qrCodeRoutes.code, code))
        .get()
    )?.organizationId ?? null
  )
}
