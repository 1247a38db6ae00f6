import { describe, expect, it } from 'vitest'
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, JoinCodeSchema, cleanJoinCode, parseJoinCode } from '../../../../shared/protocol/lesson'

describe('join code alphabet', () => {
  it('has no look-alikes (I, L, O, Q), no vowels, no digits, and no letter twice', () => {
    expect(JOIN_CODE_ALPHABET).toMatch(/^[A-Z]+$/)
    expect(JOIN_CODE_ALPHABET).not.toMatch(/[ILOQ]/)
    expect(JOIN_CODE_ALPHABET).not.toMatch(/[AEIOUY]/)
    expect(new Set(JOIN_CODE_ALPHABET).size).toBe(JOIN_CODE_ALPHABET.length)
  })

  it('leaves millions of six-letter codes', () => {
    expect(JOIN_CODE_LENGTH).toBe(6)
    expect(JOIN_CODE_ALPHABET.length ** JOIN_CODE_LENGTH).toBeGreaterThan(30_000_000)
  })

  it.each(['BCDFGH', 'ZZZZZZ', 'XWVTSR'])('accepts %s as a canonical code', (code) => {
    expect(JoinCodeSchema.safeParse(code).success).toBe(true)
  })

  it.each(['bcdfgh', 'BCD-FGH', 'BCDFG', 'BCDFGHJ', 'ABCDEF', 'BCDFG0', ''])('refuses %j as a canonical code', (code) => {
    expect(JoinCodeSchema.safeParse(code).success).toBe(false)
  })
})

describe('parseJoinCode', () => {
  it.each([
    ['lower case', 'bcdfgh'],
    ['a dash', 'BCD-FGH'],
    ['spaces', ' bcd fgh '],
    ['a tab and several dashes', 'b-c-d\tf-g-h'],
    ['mixed case', 'bCd-FgH'],
  ])('reads a code typed with %s', (_, typed) => {
    expect(parseJoinCode(typed)).toEqual({ ok: true, code: 'BCDFGH' })
  })

  it.each([
    ['nothing', '', 'Type the join code'],
    ['only separators', ' - ', 'Type the join code'],
    ['too few letters', 'BCDF', 'has 6 letters; this has 4'],
    ['too many letters', 'BCDFGHJ', 'has 6 letters; this has 7'],
    ['a digit', 'BCD0GH', 'letters only'],
    ['punctuation', 'BCD.GH', 'letters only'],
    ['a vowel', 'BCDAGH', 'Join codes have no A'],
    ['look-alikes, each named once', 'OOLIQB', 'Join codes have no O, L, I, Q'],
  ])('refuses %s with a reason', (_, typed, reason) => {
    const parsed = parseJoinCode(typed)
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.problem).toContain(reason)
  })

  it('cleans without judging', () => {
    expect(cleanJoinCode('ab-c d')).toBe('ABCD')
  })
})
