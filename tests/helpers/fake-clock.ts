import type { Clock } from '../../lib/host/clock'

/** A clock that moves only when the test says: `advance(ms)` runs the timers that fall due, in order. */
export function fakeClock(start = 1_000_000): Clock & { advance(ms: number): void, pending(): number } {
  let now = start
  let next = 1
  const timers = new Map<number, { due: number, callback: () => void }>()
  return {
    now: () => now,
    setTimeout(callback, ms) {
      const id = next++
      timers.set(id, { due: now + ms, callback })
      return id
    },
    clearTimeout(handle) {
      if (typeof handle === 'number') timers.delete(handle)
    },
    advance(ms) {
      const until = now + ms
      for (;;) {
        const due = [...timers.entries()].filter(([, timer]) => timer.due <= until).sort((a, b) => a[1].due - b[1].due)[0]
        if (!due) break
        timers.delete(due[0])
        now = due[1].due
        due[1].callback()
      }
      now = until
    },
    pending: () => timers.size,
  }
}
