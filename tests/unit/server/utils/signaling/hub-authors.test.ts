import { describe, expect, it } from 'vitest'
import { authorKeyId } from '../../../../../server/utils/signaling/author-keys'
import { createMemorySiteRegistry } from '../../../../../server/utils/signaling/registry'
import { createTestHub } from './fake-peers'
import { createTestAuthor } from './test-authors'

const error = (code: string) => ({ type: 'error', code, message: expect.any(String) })

/** `blog` with an owner and two co-authors, each hosting from a tab, and the removals the hub reported. */
async function classSite() {
  const removals: Array<{ site: string, key: string, epoch: number }> = []
  const registry = createMemorySiteRegistry()
  const test = createTestHub({ registry, onAuthorRemoved: (site, key, epoch) => removals.push({ site, key, epoch }) })
  const [owner, bob, cy] = [await createTestAuthor(), await createTestAuthor(), await createTestAuthor()]
  const ownerTab = await test.hostWithKey('blog', owner)
  await ownerTab.say({ type: 'invite-mint' })
  const minted = ownerTab.take()[0]
  if (minted?.type !== 'invite') throw new Error('no invite')
  await test.enrolWithKey('blog', bob, minted.invite)
  await test.enrolWithKey('blog', cy, minted.invite)
  const bobTab = await test.hostWithKey('blog', bob, { name: 'Bob' })
  const cyTab = await test.hostWithKey('blog', cy)
  return { ...test, registry, removals, owner, bob, cy, ownerTab, bobTab, cyTab }
}

describe('signaling hub: the author list and removing an author', () => {
  it('lists the authors for any of them, with roles, who is online and who asks', async () => {
    const { ownerTab, cyTab, owner, bob, cy } = await classSite()
    cyTab.take()
    await cyTab.say({ type: 'authors' })
    const [reply] = cyTab.take()
    expect(reply).toMatchObject({ type: 'authors', site: 'blog' })
    const authors = reply?.type === 'authors' ? reply.authors : []
    expect(authors.map(({ id, role, online, self }) => ({ id, role, online, self }))).toEqual([
      { id: authorKeyId(owner.key), role: 'owner', online: true, self: false },
      { id: authorKeyId(bob.key), role: 'author', online: true, self: false },
      { id: authorKeyId(cy.key), role: 'author', online: true, self: true },
    ])
    expect(authors.every(author => !('key' in author))).toBe(true)
    ownerTab.take()
  })

  it('keeps the name an author\'s tab gives when it registers, and the last one it gave', async () => {
    const { hostWithKey, ownerTab, bob } = await classSite()
    const names = async () => {
      ownerTab.take()
      await ownerTab.say({ type: 'authors' })
      const [reply] = ownerTab.take()
      return reply?.type === 'authors' ? reply.authors.map(author => author.name ?? null) : []
    }
    expect(await names()).toEqual([null, 'Bob', null])
    await hostWithKey('blog', bob, { name: '  Bobby  ' })
    expect(await names()).toEqual([null, 'Bobby', null])
    // A registration without a name keeps the one given before.
    await hostWithKey('blog', bob)
    expect(await names()).toEqual([null, 'Bobby', null])
  })

  it('removes an author: its tabs are told and closed, the others move to the next epoch', async () => {
    const { ownerTab, bobTab, cyTab, bob, cy, registry, hostWithKey, removals } = await classSite()
    for (const tab of [ownerTab, bobTab, cyTab]) tab.take()
    await ownerTab.say({ type: 'author-remove', author: authorKeyId(bob.key) })
    const moved = { type: 'author-removed', site: 'blog', author: authorKeyId(bob.key), room: { epoch: 1, secret: expect.stringMatching(/^[\w-]{43}$/) } }
    expect(ownerTab.take()).toEqual([moved])
    expect(cyTab.take()).toEqual([moved])
    expect(bobTab.take()).toEqual([error('removed')])
    expect(bobTab.closed).toBe(true)
    expect(removals).toEqual([{ site: 'blog', key: bob.key, epoch: 1 }])
    expect((await registry.authors('blog')).map(author => author.key)).not.toContain(bob.key)
    // The removed key hosts nothing any more; the others register into the new epoch.
    expect((await hostWithKey('blog', bob)).reply).toEqual(error('name-taken'))
    expect(await registry.roomFor('blog', bob.key)).toBeNull()
    expect((await hostWithKey('blog', cy)).reply).toMatchObject({ type: 'hosting', role: 'author', room: moved.room })
  })

  it('refuses a removal by an author who is not the owner, of the owner itself, and of an unknown id, and changes nothing', async () => {
    const { ownerTab, cyTab, owner, bob, registry } = await classSite()
    for (const tab of [ownerTab, cyTab]) tab.take()
    await cyTab.say({ type: 'author-remove', author: authorKeyId(bob.key) })
    await ownerTab.say({ type: 'author-remove', author: authorKeyId(owner.key) })
    await ownerTab.say({ type: 'author-remove', author: 'AAAAAAAAAAAAAAAA' })
    expect(cyTab.take()).toEqual([error('not-owner')])
    expect(ownerTab.take()).toEqual([error('bad-author'), error('bad-author')])
    expect(await registry.authors('blog')).toHaveLength(3)
    expect(await registry.roomFor('blog', bob.key)).toEqual({ epoch: 0 })
  })

  it('refuses the list and removal to a connection that hosts nothing by key', async () => {
    const { connect, bob } = await classSite()
    const stranger = connect()
    await stranger.say({ type: 'authors' })
    await stranger.say({ type: 'author-remove', author: authorKeyId(bob.key) })
    expect(stranger.take()).toEqual([error('not-owner'), error('not-owner')])
  })
})
