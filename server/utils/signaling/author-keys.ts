import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto'

// An author key is the base64url SPKI (DER) of an ECDSA P-256 public key; its
// browser keeps the private half, non-extractable. See PROTOCOL.md ("Signaling").

/** The DER of SEQUENCE { AlgorithmIdentifier { ecPublicKey, prime256v1 }, BIT STRING (65 bytes) } up to the point. */
const P256_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex')

function importAuthorKey(key: string): KeyObject | null {
  try {
    const object = createPublicKey({ key: Buffer.from(key, 'base64url'), format: 'der', type: 'spki' })
    if (object.asymmetricKeyType !== 'ec' || object.asymmetricKeyDetails?.namedCurve !== 'prime256v1') return null
    return object
  }
  catch {
    // Not DER, not SPKI, not a point on the curve: not a key, which the caller answers as such.
    return null
  }
}

/**
 * The canonical form of an author key (the SPKI re-encoded from the parsed
 * key), or null when it is not a P-256 public key. base64url has spare bits
 * and SPKI allows a compressed point, so one key has several spellings; the
 * registry stores and compares this one.
 */
export function canonicalAuthorKey(key: string): string | null {
  const { x, y } = importAuthorKey(key)?.export({ format: 'jwk' }) ?? {}
  if (x === undefined || y === undefined) return null
  // Node re-exports a compressed point compressed: build the uncompressed SPKI from the coordinates.
  return Buffer.concat([P256_SPKI_PREFIX, Buffer.from([4]), Buffer.from(x, 'base64url'), Buffer.from(y, 'base64url')]).toString('base64url')
}

/** Whether `signature` (P1363 r‖s, base64url) is `key`'s ECDSA P-256 / SHA-256 signature of `text`; false for a malformed key or signature, never throws. */
export function verifyAuthorSignature(key: string, text: string, signature: string): boolean {
  const object = importAuthorKey(key)
  if (!object) return false
  const bytes = Buffer.from(signature, 'base64url')
  if (bytes.length !== 64) return false
  try {
    return verify('sha256', Buffer.from(text, 'utf8'), { key: object, dsaEncoding: 'ieee-p1363' }, bytes)
  }
  catch {
    // OpenSSL refuses some malformed signatures by throwing rather than answering false.
    return false
  }
}

/** A short id of an author key for logs and invites' `by`: 16 base64url characters of its SHA-256. */
export function authorKeyId(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('base64url').slice(0, 16)
}
