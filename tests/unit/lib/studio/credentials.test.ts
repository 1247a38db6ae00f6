import { describe, expect, it } from 'vitest'
import { acceptInvite, authorName, authorRole, keepAuthorName, keepAuthorRole, keepOwnerToken, ownerToken, ownsSite, roomKey, siteInviteLink } from '../../../../lib/studio/credentials'
import { parseInvite } from '../../../../lib/studio/invite'
import { AUTHOR_NAME_KEY, ownerTokenKey, roomKeyKey } from '../../../../shared/storage-keys'
import { memoryStorage } from '../../../helpers/memory-storage'


describe('credentials in this browser', () => {
  it('an owner token is kept per site', () => {
    const storage = memoryStorage()
    expect(ownsSite(storage, 'a')).toBe(false)
    keepOwnerToken(storage, 'a', 'token-a-0123456789')
    expect(ownsSite(storage, 'a')).toBe(true)
    expect(ownsSite(storage, 'b')).toBe(false)
    expect(ownerToken(storage, 'a')).toBe('token-a-0123456789')
    expect(storage.map.get(ownerTokenKey('a'))).toBe('token-a-0123456789')
  })

  it('a room key is made once, and only when asked to', () => {
    const storage = memoryStorage()
    expect(roomKey(storage, 'a', false)).toBeNull()
    const key = roomKey(storage, 'a')
    expect(key).toMatch(/^[\w-]{43}$/)
    expect(roomKey(storage, 'a')).toBe(key)
    expect(storage.map.get(roomKeyKey('a'))).toBe(key)
  })

  it('an accepted invite keeps the room key and the author role, and invite links carry the key with a minted code', () => {
    const storage = memoryStorage()
    expect(siteInviteLink(storage, 'http://localhost:3000', 'a', 'c'.repeat(43))).toBe('')
    acceptInvite(storage, 'a', { key: 'k'.repeat(43), code: 'c'.repeat(43) })
    expect(authorRole(storage, 'a')).toBe('author')
    expect(ownsSite(storage, 'a')).toBe(true)
    const link = siteInviteLink(storage, 'http://localhost:3000', 'a', 'd'.repeat(43))
    expect(parseInvite(new URL(link).hash)).toEqual({ key: 'k'.repeat(43), code: 'd'.repeat(43) })
  })

  it('a role from the server replaces a legacy owner token, which is no credential any more', () => {
    const storage = memoryStorage()
    keepOwnerToken(storage, 'a', 'legacy-token-0123456789')
    keepAuthorRole(storage, 'a', 'owner')
    expect(ownerToken(storage, 'a')).toBeNull()
    expect(authorRole(storage, 'a')).toBe('owner')
  })

  it.each([
    ['  Ada  ', 'Ada'],
    ['x'.repeat(80), 'x'.repeat(60)],
    ['   ', null],
  ])('an author name %j is kept as %j', (typed, kept) => {
    const storage = memoryStorage()
    expect(keepAuthorName(storage, typed)).toBe(kept)
    expect(storage.map.get(AUTHOR_NAME_KEY) ?? null).toBe(kept)
  })

  it('an author without a name gets a made-up one until they choose', () => {
    const storage = memoryStorage()
    expect(authorName(storage, () => 0.5)).toBe('Author 550')
    keepAuthorName(storage, 'Grace')
    expect(authorName(storage)).toBe('Grace')
  })
})
