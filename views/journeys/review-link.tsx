/** The journey page's warning: a review step is skipped while the business has no public review link. */
import { useRequestContext } from 'hono/jsx-renderer'
import type { Journey } from '../../durable-objects/org/journeys/definitions'
import type { AppEnv } from '../../src/env'
import { googleReviewUrl } from '../../src/reviews/settings'
import { MissingReviewLink } from '../settings/reviews'

/** Shown above the steps of a journey with a review step while the link is missing; reads the link itself. */
export async function ReviewLinkWarning({ journey }: { journey: Journey }) {
  if (!journey.steps.some((s) => s.type === 'review_request')) return null
  const c = useRequestContext<AppEnv>()
  if (await googleReviewUrl(c.env, c.get('organization').id)) return null
  return <MissingReviewLink />
}
