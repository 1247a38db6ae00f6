import { dbError } from './json'

// Crockford's base32: 32 symbols, so a random byte maps without bias (byte & 31).
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'
const MAX_ID_LENGTH = 256

/**
 * A new document id: 9 characters of time (base 36, so ids sort roughly by
 * creation) then 10 random base32 characters (50 bits), e.g. `m1x2k3p4q7hd0s2vbnz`.
 */
export function generateId(now: number = Date.now()): string {
  let id = Math.max(0, Math.floor(now)).toString(36).padStart(9, '0')
  for (const byte of crypto.getRandomValues(new Uint8Array(10))) id += ALPHABET[byte & 31]
  return id
}

/** Check a given `_id` (from a document or as a target): a non-empty string of at most 256 characters. */
export function checkId(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_ID_LENGTH) {
    const got = typeof value === 'string' ? `a string of ${value.length} characters` : typeof value
    throw dbError(where, `_id must be a non-empty string of at most ${MAX_ID_LENGTH} characters, got ${got}`)
  }
  return value
}
