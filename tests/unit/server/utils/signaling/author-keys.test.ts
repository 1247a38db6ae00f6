import { ECDH, generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { authorKeyId, canonicalAuthorKey, verifyAuthorSignature } from '../../../../../server/utils/signaling/author-keys'
import { createTestAuthor } from './test-authors'

/** The SPKI of a key Node makes, base64url. */
function spkiOf(type: 'ec' | 'rsa' | 'ed25519', namedCurve?: string): string {
  const { publicKey } = type === 'ec'
    ? generateKeyPairSync('ec', { namedCurve: namedCurve ?? 'prime256v1' })
    : type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 1024 }) : generateKeyPairSync('ed25519')
  return publicKey.export({ type: 'spki', format: 'der' }).toString('base64url')
}

describe('author keys', () => {
  it('verifies a WebCrypto P-256 signature, and only of that text by that key', async () => {
    const author = await createTestAuthor()
    const other = await createTestAuthor()
    const signature = await author.sign('peerserver host blog nonce')
    expect(verifyAuthorSignature(author.key, 'peerserver host blog nonce', signature)).toBe(true)
    expect(verifyAuthorSignature(author.key, 'peerserver host wiki nonce', signature)).toBe(false)
    expect(verifyAuthorSignature(other.key, 'peerserver host blog nonce', signature)).toBe(false)
  })

  it.each([
    ['not base64url DER', 'x'.repeat(120)],
    ['nothing', ''],
    ['a truncated key', 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE'],
    ['a P-384 key', spkiOf('ec', 'secp384r1')],
    ['a secp256k1 key', spkiOf('ec', 'secp256k1')],
    ['an RSA key', spkiOf('rsa')],
    ['an Ed25519 key', spkiOf('ed25519')],
  ])('refuses %s as a key, without throwing', async (_, key) => {
    const signature = await (await createTestAuthor()).sign('text')
    expect(canonicalAuthorKey(key)).toBeNull()
    expect(verifyAuthorSignature(key, 'text', signature)).toBe(false)
  })

  it.each([
    ['empty', ''],
    ['63 bytes', Buffer.alloc(63, 1).toString('base64url')],
    ['65 bytes', Buffer.alloc(65, 1).toString('base64url')],
    ['all zeros (r = s = 0)', Buffer.alloc(64).toString('base64url')],
    ['all ones (over the group order)', Buffer.alloc(64, 0xff).toString('base64url')],
    ['not base64url', '!'.repeat(86)],
  ])('refuses a signature that is %s, without throwing', async (_, signature) => {
    const author = await createTestAuthor()
    expect(verifyAuthorSignature(author.key, 'text', signature)).toBe(false)
  })

  it('spells each key one way: spare base64url bits and a compressed point give the same key', async () => {
    const author = await createTestAuthor()
    expect(canonicalAuthorKey(author.key)).toBe(author.key)
    // 91 bytes in 122 characters: the last character carries 4 spare bits.
    const last = author.key.at(-1) ?? ''
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const respelled = author.key.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1]
    expect(respelled).not.toBe(author.key)
    expect(canonicalAuthorKey(respelled)).toBe(author.key)
    const point = Buffer.from(author.key, 'base64url').subarray(-65)
    const compressed = Buffer.concat([Buffer.from('3039301306072a8648ce3d020106082a8648ce3d030107032200', 'hex'), ECDH.convertKey(point, 'prime256v1', undefined, undefined, 'compressed') as Buffer])
    expect(canonicalAuthorKey(compressed.toString('base64url'))).toBe(author.key)
  })

  it('names a key by 16 base64url characters, stable and distinct', async () => {
    const [a, b] = [await createTestAuthor(), await createTestAuthor()]
    expect(authorKeyId(a.key)).toMatch(/^[\w-]{16}$/)
    expect(authorKeyId(a.key)).toBe(authorKeyId(a.key))
    expect(authorKeyId(a.key)).not.toBe(authorKeyId(b.key))
  })
})
