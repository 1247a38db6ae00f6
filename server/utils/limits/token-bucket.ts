/**
 * A token bucket: holds up to `burst` tokens, refilled at `rate` a second;
 * each event takes some. The clock is the caller's (ms), so tests are exact.
 */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(private readonly rate: number, private readonly burst: number, now: number) {
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

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.last)
    this.last = now
    this.tokens = Math.min(this.burst, this.tokens + (elapsed / 1000) * this.rate)
  }
}

/** How often (in takes) KeyedBuckets forgets buckets that have filled up again. */
const PRUNE_EVERY = 1000

/**
 * One token bucket per key (a client address): a key without a bucket has a
 * full one, so full buckets are forgotten and memory follows the clients
 * that spent some lately.
 */
export class KeyedBuckets {
  private readonly buckets = new Map<string, TokenBucket>()
  private takes = 0

  constructor(private readonly rate: number, private readonly burst: number) {}

  /** Take `cost` tokens from `key`'s bucket; false (nothing taken) when it has fewer. */
  take(key: string, now: number, cost = 1): boolean {
    if (++this.takes % PRUNE_EVERY === 0) this.prune(now)
    let bucket = this.buckets.get(key)
    if (!bucket) {
      bucket = new TokenBucket(this.rate, this.burst, now)
      this.buckets.set(key, bucket)
    }
    return bucket.take(now, cost)
  }

  /** How many keys have a bucket that is not full (for tests). */
  get size(): number {
    return this.buckets.size
  }

  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.isFull(now)) this.buckets.delete(key)
    }
  }
}

/** Counts of live things per key (connections per client address), with a cap. */
export class KeyedCounter {
  private readonly counts = new Map<string, number>()

  constructor(private readonly max: number) {}

  /** Count one more for `key`, unless it has `max` already (false, nothing counted). */
  add(key: string): boolean {
    const count = this.counts.get(key) ?? 0
    if (count >= this.max) return false
    this.counts.set(key, count + 1)
    return true
  }

  /** Count one fewer for `key`. */
  remove(key: string): void {
    const count = this.counts.get(key) ?? 0
    if (count <= 1) this.counts.delete(key)
    else this.counts.set(key, count - 1)
  }

  /** The count for `key`. */
  count(key: string): number {
    return this.counts.get(key) ?? 0
  }
}
