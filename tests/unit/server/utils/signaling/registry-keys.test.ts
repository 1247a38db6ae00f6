import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createMemorySiteStore, createStorageSiteRegistry } from '../../../../../server/utils/signaling/registry'
import { admitKey, LEGACY_TOKEN_GRACE_MS, MAX_AUTHORS, StoredSiteSchema } from '../../../../../server/utils/signaling/site-entry'

/** A stand-in author key: the registry stores keys the hub has already checked. */
const keyOf = (name: string) => `key-${name}`.padEnd(122, 'A')

function scripted(...codes: string[]) {
  return () => codes.shift() ?? 'ZZZZZZ'
}

describe('site registry: author keys', () => {
  it('makes the first key of a free name its owner, and knows it again', async () => {
    const store = createMemorySiteStore()
    const registry = createStorageSiteRegistry(store, { codeSource: scripted('BCDFGH') })
    expect(await registry.claimWithKey('blog', keyOf('ada'))).toEqual({ ok: true, role: 'owner', code: 'BCDFGH', room: { epoch: 0 } })
    expect(await registry.claimWithKey('blog', keyOf('ada'))).toEqual({ ok: true, role: 'owner', code: 'BCDFGH', room: { epoch: 0 } })
    expect(await registry.isClaimed('blog')).toBe(true)
    expect(await registry.siteOfCode('BCDFGH')).toBe('blog')
    expect(await registry.authors('blog')).toEqual([{ key: keyOf('ada'), role: 'owner', addedAt: expect.any(String) }])
    expect(store.entries.get('signaling:sites:blog')).not.toHaveProperty('tokenHash')
  })

  it('refuses another key, with or without a token', async () => {
    const registry = createStorageSiteRegistry(createMemorySiteStore())
    await registry.claimWithKey('blog', keyOf('ada'))
    expect(await registry.claimWithKey('blog', keyOf('eve'))).toEqual({ ok: false })
    expect(await registry.claimWithKey('blog', keyOf('eve'), 'some-token')).toEqual({ ok: false })
    expect(await registry.authors('blog')).toHaveLength(1)
  })

  it.each([
    ['no token', undefined],
    ['a token', 'any-token'],
    ['an empty token', ''],
  ])('never lets a site claimed by key be claimed by %s', async (_, token) => {
    const registry = createStorageSiteRegistry(createMemorySiteStore())
    await registry.claimWithKey('blog', keyOf('ada'))
    expect(await registry.claim('blog', token)).toEqual({ ok: false })
  })

  it('migrates a legacy site: each token holder brings a key in as an owner within the grace period, and the token alone registers nothing', async () => {
    const store = createMemorySiteStore()
    const registry = createStorageSiteRegistry(store, { codeSource: scripted('BCDFGH') })
    const legacy = await registry.claim('blog')
    if (!legacy.ok) throw new Error('claim refused')
    expect(await registry.claimWithKey('blog', keyOf('ada'))).toEqual({ ok: false })
    expect(await registry.claimWithKey('blog', keyOf('ada'), 'wrong-token')).toEqual({ ok: false })
    expect(await registry.claimWithKey('blog', keyOf('ada'), legacy.token)).toEqual({ ok: true, role: 'owner', code: 'BCDFGH', room: { epoch: 0 } })
    expect(await registry.claim('blog', legacy.token)).toEqual({ ok: false })
    // Before keys every co-author held the token as an owner: none of them loses the site.
    expect(await registry.claimWithKey('blog', keyOf('bob'), legacy.token)).toEqual({ ok: true, role: 'owner', code: 'BCDFGH', room: { epoch: 0 } })
    expect(await registry.claimWithKey('blog', keyOf('ada'))).toEqual({ ok: true, role: 'owner', code: 'BCDFGH', room: { epoch: 0 } })
    expect((await registry.authors('blog')).map(author => [author.key, author.role])).toEqual([[keyOf('ada'), 'owner'], [keyOf('bob'), 'owner']])
  })

  it(`lets keys in with the token until LEGACY_TOKEN_GRACE_MS (${LEGACY_TOKEN_GRACE_MS / 86_400_000} days) after the first, and not at it`, () => {
    const token = 'an-owner-token-from-last-year'
    const migratedAt = Date.UTC(2026, 0, 1)
    const site = StoredSiteSchema.parse({ tokenHash: createHash('sha256').update(token).digest('hex'), tokenMigratedAt: migratedAt, createdAt: '2025-09-01T08:00:00.000Z', code: 'BCDFGH', authors: [{ key: keyOf('ada'), role: 'owner', addedAt: '' }] })
    expect(admitKey(site, keyOf('bob'), token, new Date(migratedAt + LEGACY_TOKEN_GRACE_MS - 1))).toMatchObject({ role: 'owner' })
    expect(admitKey(site, keyOf('bob'), token, new Date(migratedAt + LEGACY_TOKEN_GRACE_MS))).toBeNull()
    expect(admitKey(site, keyOf('bob'), 'another-token', new Date(migratedAt))).toBeNull()
  })

  it('gives a code to a legacy site stored before join codes existed when it migrates', async () => {
    const store = createMemorySiteStore()
    const token = 'an-owner-token-from-last-year'
    store.entries.set('signaling:sites:blog', { tokenHash: createHash('sha256').update(token).digest('hex'), createdAt: '2025-09-01T08:00:00.000Z' })
    const registry = createStorageSiteRegistry(store, { codeSource: scripted('JKMNPR') })
    expect(await registry.claimWithKey('blog', keyOf('ada'), token)).toEqual({ ok: true, role: 'owner', code: 'JKMNPR', room: { epoch: 0 } })
    expect(store.entries.get('signaling:sites:blog')).toMatchObject({ createdAt: '2025-09-01T08:00:00.000Z', code: 'JKMNPR', invites: [] })
    expect(await registry.siteOfCode('JKMNPR')).toBe('blog')
  })

  it('gives a free name to one of several keys claiming it at once', async () => {
    const registry = createStorageSiteRegistry(createMemorySiteStore())
    const claims = await Promise.all(['ada', 'bob', 'eve'].map(name => registry.claimWithKey('blog', keyOf(name))))
    expect(claims.filter(claim => claim.ok)).toEqual([{ ok: true, role: 'owner', code: expect.any(String), room: { epoch: 0 } }])
  })

  it('migrates a legacy site for several token holders at once, each an owner', async () => {
    const registry = createStorageSiteRegistry(createMemorySiteStore())
    const legacy = await registry.claim('blog')
    if (!legacy.ok) throw new Error('claim refused')
    const claims = await Promise.all(['ada', 'bob'].map(name => registry.claimWithKey('blog', keyOf(name), legacy.token)))
    expect(claims.map(claim => claim.ok)).toEqual([true, true])
    expect(await registry.authors('blog')).toHaveLength(2)
  })

  it.each([
    ['no token and no author', { createdAt: '2026-01-01T00:00:00.000Z' }],
    ['an author that is no key', { createdAt: '2026-01-01T00:00:00.000Z', authors: [{ key: 'x', role: 'owner', addedAt: '' }] }],
    ['an unknown role', { createdAt: '2026-01-01T00:00:00.000Z', authors: [{ key: keyOf('ada'), role: 'admin', addedAt: '' }] }],
    ['an invite kept in the clear', { createdAt: '2026-01-01T00:00:00.000Z', authors: [{ key: keyOf('ada'), role: 'owner', addedAt: '' }], invites: [{ code: 'x', expiresAt: 1, by: 'x' }] }],
  ])('refuses to read an entry with %s', async (_, entry) => {
    const store = createMemorySiteStore()
    store.entries.set('signaling:sites:blog', entry)
    const registry = createStorageSiteRegistry(store)
    await expect(registry.claimWithKey('blog', keyOf('ada'))).rejects.toThrow('corrupt')
    await expect(registry.claim('blog')).rejects.toThrow('corrupt')
  })

  it(`migrates no key into a legacy entry that somehow has ${MAX_AUTHORS} authors`, async () => {
    const store = createMemorySiteStore()
    const token = 'legacy'
    const authors = Array.from({ length: MAX_AUTHORS }, (_, i) => ({ key: keyOf(`a${i}`), role: 'author', addedAt: '' }))
    store.entries.set('signaling:sites:blog', { tokenHash: createHash('sha256').update(token).digest('hex'), createdAt: '', code: 'BCDFGH', authors })
    const registry = createStorageSiteRegistry(store)
    expect(await registry.claimWithKey('blog', keyOf('ada'), token)).toEqual({ ok: false })
    expect(await registry.claimWithKey('blog', keyOf('a7'))).toEqual({ ok: true, role: 'author', code: 'BCDFGH', room: { epoch: 0 } })
  })
})
