/**
 * Crypto helpers for site handlers, on WebCrypto only (Node 22, browsers and
 * Workers alike): password hashing, random ids, SHA-256, base64url.
 */

/**
 * PBKDF2-SHA256 work factor of new hashes. OWASP asks for more (600k), but a
 * tab serves every login on the author's CPU; 210k keeps a login near 100 ms.
 * `verifyPassword` reads the count from the hash, so raising it later is safe.
 */
export const PBKDF2_ITERATIONS = 210_000
/** Refused when verifying: a hash from elsewhere must not make one login run for minutes. */
const MAX_ITERATIONS = 10_000_000
const SALT_BYTES = 16
const HASH_BYTES = 32

const encoder = new TextEncoder()

/** Standard base64 of bytes (btoa works on code units, hence the binary string). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  const chunk = 0x8000
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk))
  }
  return btoa(binary)
}

/** URL-safe base64 without padding (RFC 4648 §5). */
export function base64UrlEncode(bytes: Uint8Array): string {
  return bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** Bytes of a URL-safe base64 string, or null when it is not one. */
export function base64UrlDecode(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[\w-]*$/.test(text) || text.length % 4 === 1) return null
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  return Uint8Array.from(binary, char => char.charCodeAt(0))
}

/** `bytes` random bytes (default 16) as base64url: 16 bytes give 22 characters. */
export function randomId(bytes = 16): string {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > 1024) {
    throw new RangeError(`randomId: bytes must be an integer from 1 to 1024, got ${String(bytes)}`)
  }
  return base64UrlEncode(crypto.getRandomValues(new Uint8Array(bytes)))
}

/** SHA-256 of a string (as UTF-8) or of bytes, as lower-case hex. */
export async function sha256(input: string | Uint8Array): Promise<string> {
  // A copy: WebCrypto takes no views of a SharedArrayBuffer.
  const bytes = typeof input === 'string' ? encoder.encode(input) : new Uint8Array(input)
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return Array.from(digest, byte => byte.toString(16).padStart(2, '0')).join('')
}

/** True when both byte arrays are equal, in time that depends on the length only. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let difference = 0
  for (let i = 0; i < a.length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0)
  return difference === 0
}

async function pbkdf2(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, ['deriveBits'])
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, HASH_BYTES * 8)
  return new Uint8Array(bits)
}

function checkPassword(password: unknown, where: string): string {
  if (typeof password !== 'string') throw new TypeError(`${where}: the password must be a string`)
  return password
}

/** Hash a password with PBKDF2-SHA256 and a random salt, as `pbkdf2$<iterations>$<salt>$<hash>` (base64url). */
export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  checkPassword(password, 'hashPassword')
  if (!Number.isInteger(iterations) || iterations < 100_000 || iterations > MAX_ITERATIONS) {
    throw new RangeError(`hashPassword: iterations must be an integer from 100000 to ${MAX_ITERATIONS}`)
  }
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES))
  const hash = await pbkdf2(password, salt, iterations)
  return `pbkdf2$${iterations}$${base64UrlEncode(salt)}$${base64UrlEncode(hash)}`
}

interface ParsedHash { iterations: number, salt: Uint8Array<ArrayBuffer>, hash: Uint8Array }

function parseHash(encoded: unknown): ParsedHash | null {
  if (typeof encoded !== 'string') return null
  const [scheme, count, salt, hash, ...rest] = encoded.split('$')
  if (scheme !== 'pbkdf2' || rest.length > 0 || !count || !/^\d{1,8}$/.test(count)) return null
  const iterations = Number(count)
  const saltBytes = base64UrlDecode(salt ?? '')
  const hashBytes = base64UrlDecode(hash ?? '')
  if (iterations < 1 || iterations > MAX_ITERATIONS || !saltBytes?.length || !hashBytes?.length) return null
  return { iterations, salt: saltBytes, hash: hashBytes }
}

/**
 * True when `password` matches a hash made by `hashPassword`. A value that is
 * not such a hash throws: it is a bug in the site (say, a missing field), not a wrong password.
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  checkPassword(password, 'verifyPassword')
  const parsed = parseHash(encoded)
  if (!parsed) throw new TypeError('verifyPassword: the second argument is not a hash made by hashPassword (pbkdf2$iterations$salt$hash)')
  const actual = await pbkdf2(password, parsed.salt, parsed.iterations)
  return timingSafeEqual(actual, parsed.hash)
}
