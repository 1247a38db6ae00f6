import { createPublicKey, verify } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { loadAuthorKey, memoryKeyStore } from '../../../../lib/studio/author-key'
import { AuthorKeySchema, SignatureSchema } from '../../../../shared/protocol/signal'

describe('the author key', () => {
  it('is one P-256 key per store, whose signatures verify with its public key', async () => {
    const store = memoryKeyStore()
    const key = await loadAuthorKey(store)
    expect(AuthorKeySchema.safeParse(key.publicKey).success).toBe(true)
    expect((await loadAuthorKey(store)).publicKey).toBe(key.publicKey)
    const signature = await key.sign('peerserver host blog nonce')
    expect(SignatureSchema.safeParse(signature).success).toBe(true)
    const publicKey = createPublicKey({ key: Buffer.from(key.publicKey, 'base64url'), format: 'der', type: 'spki' })
    expect(publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1')
    expect(verify('sha256', Buffer.from('peerserver host blog nonce'), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'))).toBe(true)
    expect(verify('sha256', Buffer.from('peerserver host wiki nonce'), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'))).toBe(false)
  })

  it('makes its private half non-extractable', async () => {
    const kept: { pair?: CryptoKeyPair } = {}
    await loadAuthorKey({ keepFirst: async fresh => (kept.pair = fresh) })
    const pair = kept.pair
    if (!pair) throw new Error('no key pair was kept')
    expect(pair.privateKey.extractable).toBe(false)
    await expect(crypto.subtle.exportKey('pkcs8', pair.privateKey)).rejects.toThrow()
    await expect(crypto.subtle.exportKey('jwk', pair.privateKey)).rejects.toThrow()
  })

  it('two keys from two stores differ', async () => {
    expect((await loadAuthorKey(memoryKeyStore())).publicKey).not.toBe((await loadAuthorKey(memoryKeyStore())).publicKey)
  })
})
