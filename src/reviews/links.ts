/** Signed rating-page links for review requests made outside the due-work loop (QR scans, staff asking). */
import { signLinkToken, type KeyInput } from '../messaging/portal-token'

/** `/r/{token}` for one review request; `orgClientId` is '' for a request without a client. */
export async function ratingPath(
  key: KeyInput,
  organizationId: string,
  orgClientId: string,
  requestId: string,
  days: number,
): Promise<string> {
  return `/r/${await signLinkToken(key, { o: organizationId, c: orgClientId, p: 'review', r: requestId }, days)}`
}
