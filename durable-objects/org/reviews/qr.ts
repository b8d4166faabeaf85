/** QR codes per tech: `/q/{code}` counts a scan and opens a review request attributed to the tech. */
import { asc, eq, sql } from 'drizzle-orm'
import { notFound } from '../../../src/errors'
import type { OrgDb } from '../db'
import { qrCodes, techs } from '../schema'
import { createReviewRequest } from './requests'

export type QrCode = {
  id: string
  code: string
  tech_id: string | null
  label: string
  scan_count: number
  last_scanned_at: string | null
  created_at: string
}

const columns = {
  id: qrCodes.id,
  code: qrCodes.code,
  tech_id: qrCodes.techId,
  label: qrCodes.label,
  scan_count: qrCodes.scanCount,
  last_scanned_at: qrCodes.lastScannedAt,
  created_at: qrCodes.createdAt,
}

/** Adds a QR code for a tech under a code already registered in the registry's routes. */
export function addQrCode(db: OrgDb, techId: string, label: string, code: string): QrCode {
  if (!db.select({ id: techs.id }).from(techs).where(eq(techs.id, techId)).get()) throw notFound('tech')
  const id = crypto.randomUUID()
  db.insert(qrCodes).values({ id, code, techId, label }).run()
  return db.select(columns).from(qrCodes).where(eq(qrCodes.id, id)).get()!
}

/** One QR code with its tech's name, or null. */
export function getQrCode(db: OrgDb, id: string): (QrCode & { tech_name: string | null }) | null {
  return (
    db
      .select({ ...columns, tech_name: techs.name })
      .from(qrCodes)
      .leftJoin(techs, eq(techs.id, qrCodes.techId))
      .where(eq(qrCodes.id, id))
      .get() ?? null
  )
}

/** Every QR code, oldest first. */
export function listQrCodes(db: OrgDb): QrCode[] {
  return db.select(columns).from(qrCodes).orderBy(asc(qrCodes.createdAt)).all()
}

/** Counts one scan and opens a review request (channel `qr`, no client) for its tech; returns the request id, or null for an unknown code. */
export function scanQrCode(db: OrgDb, code: string, now = new Date()): string | null {
  const at = now.toISOString()
  const [qr] = db
    .update(qrCodes)
    .set({ scanCount: sql`${qrCodes.scanCount} + 1`, lastScannedAt: at })
    .where(eq(qrCodes.code, code))
    .returning({ id: qrCodes.id, techId: qrCodes.techId })
    .all()
  if (!qr) return null
  const id = crypto.randomUUID()
  createReviewRequest(db, { id, orgClientId: null, channel: 'qr', techId: qr.techId, qrCodeId: qr.id }, now)
  return id
}
