import { dbError } from './json'

// Crockford's base32: 32 symbols, so a random byte maps without bias (byte & 31).
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'
const MAX_ID_LENGTH = 256

/** The last id's time and random digits (0–31 each), so ids made in the same millisecond still ascend. */
let last: { time: number, digits: number[] } | null = null

/** `digits` plus one (base 32, last digit first); null when it overflows. */
function increment(digits: number[]): number[] | null {
  const next = [...digits]
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i]! < 31) {
      next[i]! += 1
      return next
    }
    next[i] = 0
  }
  return null
}

/**
 * A new document id: 9 characters of time (base 36) then 10 random base32
 * characters (50 bits), e.g. `m1x2k3p4q7hd0s2vbnz`. Ids sort by creation: an
 * id made in the same millisecond as the one before is that one plus one
 * (as monotonic ULIDs are), so "newest first" needs no other tie-break.
 */
export function generateId(now: number = Date.now()): string {
  const time = Math.max(0, Math.floor(now))
  const digits = (last?.time === time && increment(last.digits)) || Array.from(crypto.getRandomValues(new Uint8Array(10)), byte => byte & 31)
  last = { time, digits }
  return time.toString(36).padStart(9, '0') + digits.map(digit => ALPHABET[digit]).join('')
}

/** Check a given `_id` (from a document or as a target): a non-empty string of at most 256 characters. */
export function checkId(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_ID_LENGTH) {
    const got = typeof value === 'string' ? `a string of ${value.length} characters` : typeof value
    throw dbError(where, `_id must be a non-empty string of at most ${MAX_ID_LENGTH} characters, got ${got}`)
  }
  return value
}
