import { createStorage } from 'unstorage'
import { describe, expect, it } from 'vitest'
import { createMemorySiteStore, createStorageSiteRegistry } from '../../../../../server/utils/signaling/registry'

describe('site registry', () => {
  it('mints a 256-bit base64url token on the first claim and accepts it later', async () => {
    const registry = createStorageSiteRegistry(createMemorySiteStore())
    const first = await registry.claim('blog')
    expect(first.ok).toBe(true)
    if (!first.ok) return
    expect(first.token).toMatch(/^[\w-]{43}$/)
    expect(await registry.claim('blog', first.token)).toEqual({ ok: true, token: first.token, code: first.code })
  })

  it.each([
    ['no token', undefined],
    ['a wrong token', 'not-the-token'],
    ['an empty token', ''],
    ['a very long token', 'x'.repeat(10_000)],
  ])('refuses a taken name with %s', async (_, token) => {
    const registry = createStorageSiteRegistry(createMemorySiteStore())
    await registry.claim('blog')
    expect(await registry.claim('blog', token)).toEqual({ ok: false })
  })

  it('stores only a SHA-256 of the token', async () => {
    const store = createMemorySiteStore()
    const claim = await createStorageSiteRegistry(store).claim('blog')
    const stored = JSON.stringify([...store.entries])
    expect(claim.ok && stored.includes(claim.token)).toBe(false)
    expect(stored).toMatch(/"tokenHash":"[0-9a-f]{64}"/)
  })

  it('gives a name to one of two simultaneous first claims', async () => {
    const registry = createStorageSiteRegistry(createMemorySiteStore())
    const claims = await Promise.all([registry.claim('blog'), registry.claim('blog'), registry.claim('blog')])
    expect(claims.filter(claim => claim.ok)).toHaveLength(1)
  })

  it('keeps names apart and keeps serving after a store failure', async () => {
    const store = createMemorySiteStore()
    const registry = createStorageSiteRegistry({
      getItem: key => (key.endsWith(':broken') ? Promise.reject(new Error('disk on fire')) : store.getItem(key)),
      setItem: (key, value) => store.setItem(key, value),
    })
    await expect(registry.claim('broken')).rejects.toThrow('disk on fire')
    expect((await registry.claim('blog')).ok).toBe(true)
    expect((await registry.claim('wiki')).ok).toBe(true)
  })

  it('refuses to read a corrupt entry as a free name', async () => {
    const store = createMemorySiteStore()
    store.entries.set('signaling:sites:blog', { tokenHash: 'zz' })
    await expect(createStorageSiteRegistry(store).claim('blog')).rejects.toThrow('corrupt')
  })

  it('works over an unstorage Storage, as Nitro gives it', async () => {
    const storage = createStorage()
    const registry = createStorageSiteRegistry(storage)
    const claim = await registry.claim('blog')
    expect(claim.ok).toBe(true)
    expect((await storage.getKeys()).toSorted()).toEqual([`signaling:codes:${claim.ok ? claim.code : ''}`, 'signaling:sites:blog'])
    // A second process over the same storage sees the same owner.
    expect(await createStorageSiteRegistry(storage).claim('blog')).toEqual({ ok: false })
    if (claim.ok) expect(await createStorageSiteRegistry(storage).claim('blog', claim.token)).toEqual(claim)
  })
})
