import { describe, expect, it } from 'vitest'
import { countVisitors, formatSince, shortSession } from '../../../../lib/studio/visitors'

const now = Date.UTC(2025, 0, 1, 12)
const ago = (ms: number) => now - ms
const MIN = 60_000

describe('formatSince', () => {
  it.each([
    ['the same moment', ago(0), 'just now'],
    ['59 seconds', ago(59_000), 'just now'],
    ['a time in the future (clock skew)', ago(-5 * MIN), 'just now'],
    ['not a number', Number.NaN, 'just now'],
    ['one minute', ago(MIN), '1 min'],
    ['3 min 40 s', ago(3 * MIN + 40_000), '3 min'],
    ['59 minutes', ago(59 * MIN), '59 min'],
    ['one hour', ago(60 * MIN), '1 h'],
    ['65 minutes', ago(65 * MIN), '1 h 5 min'],
    ['a day and a minute', ago(24 * 60 * MIN + MIN), '24 h 1 min'],
  ])('says %s as "%s"', (_name, since, expected) => {
    expect(formatSince(since, now)).toBe(expected)
  })
})

describe('shortSession', () => {
  it('keeps the first six characters', () => {
    expect(shortSession('a1b2c3d4e5')).toBe('a1b2c3')
    expect(shortSession('abc')).toBe('abc')
  })
})

describe('countVisitors', () => {
  it.each([[0, '0 visitors'], [1, '1 visitor'], [2, '2 visitors']])('says %i as "%s"', (count, expected) => {
    expect(countVisitors(count)).toBe(expected)
  })
})
