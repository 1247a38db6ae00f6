const DAY_MS = 24 * 3600_000

/**
 * A quota of units (bytes) per key (a site) per UTC day, in this process:
 * everything is forgotten when the day turns, so memory follows the keys
 * used today.
 */
export class DailyQuota {
  private day = -1
  private readonly used = new Map<string, number>()

  constructor(private readonly perDay: number) {}

  /** Use `amount` of `key`'s quota for the day of `now` (ms), unless it would pass it (false, nothing used). */
  take(key: string, amount: number, now: number): boolean {
    const day = Math.floor(now / DAY_MS)
    if (day !== this.day) {
      this.day = day
      this.used.clear()
    }
    const used = this.used.get(key) ?? 0
    if (used + amount > this.perDay) return false
    this.used.set(key, used + amount)
    return true
  }

  /** What `key` used today (for tests and logs). */
  usedBy(key: string): number {
    return this.used.get(key) ?? 0
  }
}
