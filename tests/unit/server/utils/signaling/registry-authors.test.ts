import { describe, expect, it } from 'vitest'
import { authorKeyId } from '../../../../../server/utils/signaling/author-keys'
import { createMemorySiteStore, createStorageSiteRegistry } from '../../../../../server/utils/signaling/registry'

const keyOf = (name: string) => `key-${name}`.padEnd(122, 'A')
const [owner, bob, cy] = [keyOf('owner'), keyOf('bob'), keyOf('cy')]
const now = Date.UTC(2026, 2, 2, 9, 0, 0)

/** `blog` owned by `owner`, with bob and cy enrolled. */
async function classSite() {
  const store = createMemorySiteStore()
  const registry = createStorageSiteRegistry(store)
  await registry.claimWithKey('blog', owner)
  const minted = await registry.mintInvite('blog', owner, 3600, now)
  if (!minted.ok) throw new Error('no invite')
  await registry.enrol('blog', bob, minted.invite, now)
  await registry.enrol('blog', cy, minted.invite, now)
  return { store, registry, invite: minted.invite, stored: () => store.entries.get('signaling:sites:blog') }
}

describe('site registry: removing authors', () => {
  it('forgets the key and moves the room to the next epoch with a fresh secret each time', async () => {
    const { registry } = await classSite()
    const first = await registry.removeAuthor('blog', owner, authorKeyId(bob))
    expect(first).toEqual({ ok: true, key: bob, room: { epoch: 1, secret: expect.stringMatching(/^[\w-]{43}$/) } })
    expect(await registry.roomFor('blog', bob)).toBeNull()
    expect(await registry.roomFor('blog', cy)).toEqual(first.ok && first.room)
    const second = await registry.removeAuthor('blog', owner, authorKeyId(cy))
    expect(second.ok && second.room.epoch).toBe(2)
    expect(second.ok && second.room.secret).not.toBe(first.ok && first.room.secret)
    expect((await registry.authors('blog')).map(author => author.key)).toEqual([owner])
  })

  it('refuses a removal by a non-owner, of the owner itself, of an unknown id, and on an unknown site, and changes nothing', async () => {
    const { registry, stored } = await classSite()
    const before = structuredClone(stored())
    expect(await registry.removeAuthor('blog', bob, authorKeyId(cy))).toEqual({ ok: false, reason: 'not-owner' })
    expect(await registry.removeAuthor('blog', owner, authorKeyId(owner))).toEqual({ ok: false, reason: 'bad-author' })
    expect(await registry.removeAuthor('blog', owner, 'AAAAAAAAAAAAAAAA')).toEqual({ ok: false, reason: 'bad-author' })
    expect(await registry.removeAuthor('wiki', owner, authorKeyId(bob))).toEqual({ ok: false, reason: 'not-owner' })
    expect(stored()).toEqual(before)
  })

  it('drops the invites a removed owner minted, and keeps the others\'', async () => {
    const { registry, store } = await classSite()
    // A second owner, as a legacy site's token holders became.
    const entry = store.entries.get('signaling:sites:blog') as { authors: Array<{ key: string, role: string }> }
    entry.authors.find(author => author.key === bob)!.role = 'owner'
    const bobs = await registry.mintInvite('blog', bob, 3600, now)
    expect(bobs.ok).toBe(true)
    await registry.removeAuthor('blog', owner, authorKeyId(bob))
    expect(await registry.enrol('blog', keyOf('dee'), bobs.ok ? bobs.invite : '', now)).toEqual({ ok: false, reason: 'bad-invite' })
  })

  it('reads an entry stored before removals existed as epoch 0', async () => {
    const store = createMemorySiteStore()
    store.entries.set('signaling:sites:blog', { createdAt: 'then', code: 'BCDFGH', authors: [{ key: owner, role: 'owner', addedAt: 'then' }], invites: [] })
    const registry = createStorageSiteRegistry(store)
    expect(await registry.roomFor('blog', owner)).toEqual({ epoch: 0 })
    expect(await registry.claimWithKey('blog', owner)).toEqual({ ok: true, role: 'owner', code: 'BCDFGH', room: { epoch: 0 } })
  })
})

describe('site registry: reads beside writes', () => {
  it('never reads an entry half written (the file store writes in place): the author list waits for a mint in flight', async () => {
    const store = createMemorySiteStore()
    // A store that, like unstorage's fs driver, leaves a half-written value visible while a write is under way.
    const slow = {
      getItem: (key: string) => store.getItem(key),
      async setItem(key: string, value: Parameters<typeof store.setItem>[1]) {
        store.entries.set(key, '{"createdAt": "2026-')
        await new Promise(resolve => setTimeout(resolve, 5))
        await store.setItem(key, value)
      },
    }
    const registry = createStorageSiteRegistry(slow)
    await registry.claimWithKey('blog', owner)
    const minting = registry.mintInvite('blog', owner, 3600, now)
    // The mint is now writing: the list and the room are asked for in the middle of it.
    await new Promise(resolve => setTimeout(resolve, 1))
    const [minted, authors, room] = await Promise.all([minting, registry.authors('blog'), registry.roomFor('blog', owner)])
    expect(minted.ok).toBe(true)
    expect(authors.map(author => author.key)).toEqual([owner])
    expect(room).toEqual({ epoch: 0 })
  })
})
