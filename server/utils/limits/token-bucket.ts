import { TokenBucket } from '../../../shared/token-bucket'

export { TokenBucket }

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
