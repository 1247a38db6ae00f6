/** What `visibleRange` needs to know about a scrolled list of fixed-height rows. */
export interface VisibleRangeInput {
  /** Pixels scrolled from the top of the list. */
  scrollTop: number
  /** Height of the scrolling viewport in pixels. */
  viewportHeight: number
  /** Height of every row in pixels. */
  rowHeight: number
  /** Number of rows in the list. */
  count: number
  /** Extra rows rendered above and below the visible ones, so fast scrolling shows no gap. */
  overscan: number
}

/** Rows `start` (inclusive) to `end` (exclusive) to render, the first placed `offsetTop` pixels down. */
export interface VisibleRange {
  start: number
  end: number
  offsetTop: number
}

const whole = (value: number) => (Number.isFinite(value) && value > 0 ? Math.floor(value) : 0)

/**
 * The rows of a virtualized list to render: the ones in the viewport plus
 * `overscan` on each side, clamped to the list. Scrolled past the end (the
 * list shrank under the author) it returns the last rows within `overscan`.
 */
export function visibleRange({ scrollTop, viewportHeight, rowHeight, count, overscan }: VisibleRangeInput): VisibleRange {
  const rows = whole(count)
  if (rows === 0 || !(rowHeight > 0)) return { start: 0, end: 0, offsetTop: 0 }
  const top = Math.max(0, Number.isFinite(scrollTop) ? scrollTop : 0)
  const height = Math.max(0, Number.isFinite(viewportHeight) ? viewportHeight : 0)
  const extra = whole(overscan)
  const first = Math.min(Math.floor(top / rowHeight), rows - 1)
  // At least the row under scrollTop counts as visible, even in a zero-height viewport.
  const last = Math.max(Math.ceil((top + height) / rowHeight), first + 1)
  const start = Math.max(0, first - extra)
  const end = Math.min(rows, last + extra)
  return { start, end, offsetTop: start * rowHeight }
}
