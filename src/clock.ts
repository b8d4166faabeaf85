/**
 * What tells the time, in the Worker and in each ORG object: real time unless a test sets it, so a
 * test moves time instead of waiting for it to pass.
 */
export class Clock {
  private fixed: number | null = null

  now(): Date {
    return new Date(this.fixed ?? Date.now())
  }

  /** Stops the clock at `at` (null: back to real time). */
  set(at: Date | null): void {
    this.fixed = at ? at.getTime() : null
  }

  advance(ms: number): void {
    this.fixed = (this.fixed ?? Date.now()) + ms
  }
}

/** The Worker's clock (each ORG object has its own, on its host). */
export const clock = new Clock()
