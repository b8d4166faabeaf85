/** RPC results: expected failures cross the object boundary as data, since RPC drops Error subclasses. */
import { AppError, type Issue } from '../../src/errors'

export type Failure = { status: 400 | 404 | 409; code: string; message: string; issues?: Issue[] }
export type Result<T> = { ok: true; value: T } | { ok: false; error: Failure }

/** Runs domain code, turning an AppError into a failure result. */
export function attempt<T>(fn: () => T): Result<T> {
  try {
    return { ok: true, value: fn() }
  } catch (error) {
    if (error instanceof AppError && (error.status === 400 || error.status === 404 || error.status === 409)) {
      return {
        ok: false,
        error: {
          status: error.status,
          code: error.code,
          message: error.message,
          ...(error.issues ? { issues: error.issues } : {}),
        },
      }
    }
    throw error
  }
}

/** The value of a result, or the AppError it stands for (Worker side). */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value
  throw new AppError(result.error.status, result.error.code, result.error.message, result.error.issues)
}
