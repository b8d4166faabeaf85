/**
 * The pace of one business's texts per sending number (Twilio: 1 a second from a long code, 100 a
 * second through a Messaging Service), and the lease on a claimed message. The ORG object is the
 * one place all of a business's sends are claimed, whichever consumer asks, so its slots and
 * leases hold across concurrent queue batches.
 */

/** How fast texts may go: `perSecond` per sending number (`by: 'number'`) or for all of them together (`by: 'service'`). */
export type SmsPace = { perSecond: number; by: 'number' | 'service' }

/** A consumer holds a claimed text at most this long for its slot; a later slot goes back to the queue. */
export const HOLD_MS = 5_000

/** Reservations older than this are forgotten (their message was not asked for again). */
const FORGET_MS = 10 * 60_000

/** When a text may start: in `delayMs` (held by the consumer) or in `laterSeconds` (back to the queue until then). */
export type Slot = { delayMs: number } | { laterSeconds: number }

export class SendPace {
  /** The next free start time (epoch ms) per sending number. */
  private readonly next = new Map<string, number>()
  /** Slots promised to messages sent back to the queue, by message id. */
  private readonly reserved = new Map<string, number>()

  /**
   * The slot of message `id` from `from` at `now` (real time, epoch ms). Kept in memory: an object
   * that restarts starts its numbers afresh, at worst one burst of a few seconds' worth of texts early.
   */
  slot(pace: SmsPace, id: string, from: string, now: number): Slot {
    this.forget(now)
    const key = pace.by === 'service' ? '' : from
    const promised = this.reserved.get(id)
    let at: number
    if (promised !== undefined) at = Math.max(now, promised)
    else {
      at = Math.max(now, this.next.get(key) ?? 0)
      this.next.set(key, at + 1000 / pace.perSecond)
    }
    if (at - now <= HOLD_MS) {
      this.reserved.delete(id)
      return { delayMs: at - now }
    }
    this.reserved.set(id, at)
    return { laterSeconds: Math.ceil((at - now) / 1000) }
  }

  private forget(now: number): void {
    for (const [id, at] of this.reserved) if (at < now - FORGET_MS) this.reserved.delete(id)
  }
}

/** How long a claimed message is its consumer's: a second claim within it (a redelivery while the first still runs) waits. */
export const LEASE_MS = 120_000

/** Messages claimed and not yet recorded, with when their lease ends (epoch ms). In memory, as the slots are. */
export class Leases {
  private readonly until = new Map<string, number>()

  /** Seconds until `id` may be claimed again, or 0 when it is free. */
  heldFor(id: string, now: number): number {
    const end = this.until.get(id)
    if (end === undefined || end <= now) return 0
    return Math.ceil((end - now) / 1000)
  }

  take(ids: string[], now: number): void {
    for (const [id, end] of this.until) if (end <= now) this.until.delete(id)
    for (const id of ids) this.until.set(id, now + LEASE_MS)
  }

  release(ids: string[]): void {
    for (const id of ids) this.until.delete(id)
  }
}
