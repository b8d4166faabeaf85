/** Limits on the public review funnel, counted in D1's `rate_limits` (see src/auth/rate-limit.ts). */
import type { Limit } from '../auth/rate-limit'

/** Ratings one address may leave through one QR code: 3 a day (a code on a van is open to anyone passing). */
export const qrRatingLimit = (qrCodeId: string, ip: string): Limit => ({
  key: `review:qr:${qrCodeId}:ip:${ip}`,
  max: 3,
  windowSeconds: 86_400,
})
