import { describe, expect, it } from 'vitest'
import { base64UrlDecode, base64UrlEncode, hashPassword, randomId, sha256, timingSafeEqual, verifyPassword } from '../../../../lib/vserver/crypto'

describe('hashPassword / verifyPassword', () => {
  it('round-trips, refuses a wrong password and salts every hash', async () => {
    const hash = await hashPassword('correct horse')
    expect(hash).toMatch(/^pbkdf2\$210000\$[\w-]{22}\$[\w-]{43}$/)
    expect(await verifyPassword('correct horse', hash)).toBe(true)
    expect(await verifyPassword('correct horsf', hash)).toBe(false)
    expect(await verifyPassword('', hash)).toBe(false)
    expect(await hashPassword('correct horse')).not.toBe(hash)
  })

  it('verifies with the iteration count stored in the hash', async () => {
    const hash = await hashPassword('pw', 100_000)
    expect(hash.startsWith('pbkdf2$100000$')).toBe(true)
    expect(await verifyPassword('pw', hash)).toBe(true)
  })

  it('refuses fewer than 100k iterations', async () => {
    await expect(hashPassword('pw', 1000)).rejects.toThrow(/iterations/)
  })

  it.each([
    ['', 'empty'],
    ['plain-text-password', 'not a hash'],
    ['pbkdf2$abc$AAAA$AAAA', 'bad count'],
    ['pbkdf2$99999999$AAAA$AAAA', 'too many iterations'],
    ['pbkdf2$1000$$AAAA', 'no salt'],
    ['bcrypt$1000$AAAA$AAAA', 'other scheme'],
    ['pbkdf2$1000$AA!A$AAAA', 'not base64url'],
  ])('throws on %j (%s)', async (encoded) => {
    await expect(verifyPassword('pw', encoded)).rejects.toThrow(/not a hash made by hashPassword/)
  })
})

describe('randomId', () => {
  it('gives base64url ids of the requested size', () => {
    expect(randomId()).toMatch(/^[\w-]{22}$/)
    expect(randomId(32)).toMatch(/^[\w-]{43}$/)
    expect(new Set(Array.from({ length: 100 }, () => randomId())).size).toBe(100)
  })

  it.each([0, -1, 1.5, 2048])('refuses %j bytes', (bytes) => {
    expect(() => randomId(bytes)).toThrow(RangeError)
  })
})

describe('sha256', () => {
  it('hashes text as UTF-8 and bytes as they are', async () => {
    expect(await sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(await sha256(new Uint8Array([0x61, 0x62, 0x63]))).toBe(await sha256('abc'))
    expect(await sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
  })
})

describe('base64url and timingSafeEqual', () => {
  it('round-trips every byte value', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i)
    const text = base64UrlEncode(bytes)
    expect(text).toMatch(/^[\w-]+$/)
    expect(base64UrlDecode(text)).toEqual(bytes)
    expect(base64UrlDecode('a+b')).toBeNull()
  })

  it('compares bytes', () => {
    expect(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true)
    expect(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false)
    expect(timingSafeEqual(new Uint8Array([1]), new Uint8Array([1, 2]))).toBe(false)
  })
})
