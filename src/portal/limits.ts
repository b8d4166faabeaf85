/** Spending the portal's send limits (codes, fresh links) all together or not at all. */

/** Seconds to wait when any limit is used up (nothing is counted then), else null after counting one hit on each; one D1 transaction. */
export { spend } from '../auth/rate-limit'

/** "3 minutes", "1 minute": a wait in words. */
export const minutes = (seconds: number) => `${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}`
