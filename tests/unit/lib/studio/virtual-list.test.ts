import { describe, expect, it } from 'vitest'
import { visibleRange } from '../../../../lib/studio/virtual-list'

const base = { scrollTop: 0, viewportHeight: 100, rowHeight: 20, count: 10_000, overscan: 10 }

describe('visibleRange', () => {
  it('renders the visible rows plus overscan below at the top', () => {
    expect(visibleRange(base)).toEqual({ start: 0, end: 15, offsetTop: 0 })
  })

  it('adds overscan on both sides in the middle', () => {
    expect(visibleRange({ ...base, scrollTop: 2000 })).toEqual({ start: 90, end: 115, offsetTop: 1800 })
  })

  it('counts a partly visible row', () => {
    expect(visibleRange({ ...base, scrollTop: 2010, overscan: 0 })).toEqual({ start: 100, end: 106, offsetTop: 2000 })
  })

  it('renders nothing for an empty list', () => {
    expect(visibleRange({ ...base, count: 0 })).toEqual({ start: 0, end: 0, offsetTop: 0 })
    expect(visibleRange({ ...base, count: 0, scrollTop: 500 })).toEqual({ start: 0, end: 0, offsetTop: 0 })
  })

  it('shows the last rows when scrolled past the end', () => {
    expect(visibleRange({ ...base, count: 50, scrollTop: 5000 })).toEqual({ start: 39, end: 50, offsetTop: 780 })
  })

  it('clamps overscan to the list', () => {
    expect(visibleRange({ ...base, count: 3, overscan: 10 })).toEqual({ start: 0, end: 3, offsetTop: 0 })
    expect(visibleRange({ ...base, count: 30, scrollTop: 400, overscan: 100 })).toEqual({ start: 0, end: 30, offsetTop: 0 })
  })

  it('shows at least one row in a tiny or zero-height viewport', () => {
    expect(visibleRange({ ...base, viewportHeight: 0, overscan: 0 })).toEqual({ start: 0, end: 1, offsetTop: 0 })
    expect(visibleRange({ ...base, viewportHeight: 5, scrollTop: 40, overscan: 0 })).toEqual({ start: 2, end: 3, offsetTop: 40 })
  })

  it.each([
    ['a negative scrollTop', { scrollTop: -50 }, { start: 0, end: 15, offsetTop: 0 }],
    ['a zero row height', { rowHeight: 0 }, { start: 0, end: 0, offsetTop: 0 }],
    ['a NaN scrollTop', { scrollTop: Number.NaN }, { start: 0, end: 15, offsetTop: 0 }],
    ['a fractional overscan', { overscan: 2.7 }, { start: 0, end: 7, offsetTop: 0 }],
  ])('copes with %s', (_name, change, expected) => {
    expect(visibleRange({ ...base, ...change })).toEqual(expected)
  })
})
