/** Typed errors for expected failures; `app.onError` turns them into API.md's envelope. */
import type { ContentfulStatusCode } from 'hono/utils/http-status'

export type Issue = { path: string; message: string }

export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly issues?: Issue[],
    readonly retryAfterSeconds?: number,
  ) {
    super(message)
  }

  /** The JSON body API.md prescribes for this error. */
  toBody(): { error: { code: string; message: string; issues?: Issue[] } } {
    return { error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) } }
  }
}

export const invalidInput = (issues: Issue[], message = 'The request is not valid.') =>
  new AppError(400, 'invalid_input', message, issues)

export const notFound = (what = 'resource') => new AppError(404, 'not_found', `No such ${what}.`)

export const unauthorized = (message = 'Sign in or send a valid API key.') => new AppError(401, 'unauthorized', message)

export const forbidden = (message: string) => new AppError(403, 'forbidden', message)

export const conflict = (message: string) => new AppError(409, 'conflict', message)

export const rateLimited = (retryAfterSeconds: number) =>
  new AppError(429, 'rate_limited', 'Too many attempts. Try again later.', undefined, retryAfterSeconds)

/** Converts zod issues to API.md's `[{path, message}]`, paths dotted ("client.phone"). */
export function zodIssues(error: {
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>
}): Issue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }))
}
