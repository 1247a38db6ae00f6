/**
 * A token bucket: holds up to `burst` tokens, refilled at `rate` a second;
 * each event takes some. The clock is the caller's (ms), so tests are exact.
 * The server meters clients with it (server/utils/limits/); a relayed
 * tunnel paces itself with one like the server's (lib/peer/relay-transport.ts).
 */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(private readonly rate: number, readonly burst: number, now: number) {
    this.tokens = burst
    this.last = now
  }

  /** Take `cost` tokens if there are that many (true), else take none (false). */
  take(now: number, cost = 1): boolean {
    this.refill(now)
    if (this.tokens < cost) return false
    this.tokens -= cost
    return true
  }

  /** Whether the bucket is full at `now` (then it is as good as none). */
  isFull(now: number): boolean {
    this.refill(now)
    return this.tokens >= this.burst
  }

  /** Ms from `now` until `take(cost)` can succeed: 0 when it can now, Infinity when `cost` is over the burst. */
  msUntil(now: number, cost: number): number {
    this.refill(now)
    if (cost > this.burst) return Number.POSITIVE_INFINITY
    return Math.max(0, ((cost - this.tokens) / this.rate) * 1000)
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.last)
    this.last = now
    this.tokens = Math.min(this.burst, this.tokens + (elapsed / 1000) * this.rate)
  }
}
