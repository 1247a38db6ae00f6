import { describe, expect, it } from 'vitest'
import { INVITE_TTL_SECONDS, enrolProof } from '../../../../../shared/protocol/signal'
import { MAX_INVITES } from '../../../../../server/utils/signaling/site-entry'
import { createTestHub } from './fake-peers'
import { createTestAuthor, createTestClock } from './test-authors'

const error = (code: string) => ({ type: 'error', code, message: expect.any(String) })

/** A hub on a test clock, with `blog` hosted by its owner. */
async function ownedSite() {
  const clock = createTestClock()
  const test = createTestHub({ now: clock.now })
  const owner = await createTestAuthor()
  const ownerTab = await test.hostWithKey('blog', owner)
  /** Mint an invite from the owner's tab; returns what the hub answered. */
  async function mint(ttlSeconds?: number) {
    await ownerTab.say(ttlSeconds === undefined ? { type: 'invite-mint' } : { type: 'invite-mint', ttlSeconds })
    return ownerTab.take()[0]
  }
  async function invite(ttlSeconds?: number): Promise<string> {
    const reply = await mint(ttlSeconds)
    if (reply?.type !== 'invite') throw new Error(`expected invite, got ${JSON.stringify(reply)}`)
    return reply.invite
  }
  return { ...test, clock, owner, ownerTab, mint, invite }
}

describe('signaling hub: invites', () => {
  it('mints an invite lasting a day by default, or the ttl asked for', async () => {
    const { mint, clock } = await ownedSite()
    expect(await mint()).toEqual({ type: 'invite', invite: expect.stringMatching(/^[\w-]{43}$/), expiresAt: clock.time + INVITE_TTL_SECONDS.default * 1000 })
    expect(await mint(60)).toMatchObject({ expiresAt: clock.time + 60_000 })
    expect(await mint(INVITE_TTL_SECONDS.max)).toMatchObject({ expiresAt: clock.time + INVITE_TTL_SECONDS.max * 1000 })
  })

  it.each([59, INVITE_TTL_SECONDS.max + 1, 1.5])('refuses a ttl of %s seconds', async (ttlSeconds) => {
    const { ownerTab } = await ownedSite()
    await ownerTab.say({ type: 'invite-mint', ttlSeconds })
    expect(ownerTab.take()).toEqual([error('bad-message')])
  })

  it('enrols a new browser\'s key, which then hosts as an author; enrolling hosts nothing', async () => {
    const { invite, enrolWithKey, hostWithKey, visit, ownerTab, hub } = await ownedSite()
    const bob = await createTestAuthor()
    const code = await invite()
    expect((await hostWithKey('blog', bob)).reply).toEqual(error('name-taken'))
    expect(await enrolWithKey('blog', bob, code)).toEqual({ type: 'enrolled', site: 'blog', room: { epoch: 0 } })
    expect(hub.stats().peers).toBe(3)
    await visit('blog')
    expect(ownerTab.take().map(message => message.type)).toEqual(['visitor'])
    const bobTab = await hostWithKey('blog', bob)
    expect(bobTab.reply).toEqual({ type: 'hosting', site: 'blog', code: expect.any(String), role: 'author', room: { epoch: 0 } })
    // The invite stays good for the rest of the class.
    expect(await enrolWithKey('blog', await createTestAuthor(), code)).toEqual({ type: 'enrolled', site: 'blog', room: { epoch: 0 } })
  })

  it('refuses an expired, a revoked and a forged invite, and nothing changes', async () => {
    const { invite, enrolWithKey, hostWithKey, ownerTab, clock } = await ownedSite()
    const bob = await createTestAuthor()
    const short = await invite(60)
    const revoked = await invite()
    await ownerTab.say({ type: 'invite-revoke', invite: revoked })
    expect(ownerTab.take()).toEqual([{ type: 'invite-revoked', invite: revoked }])
    clock.advance(60_000)
    for (const code of [short, revoked, 'A'.repeat(43)]) expect(await enrolWithKey('blog', bob, code)).toEqual(error('bad-invite'))
    expect((await hostWithKey('blog', bob)).reply).toEqual(error('name-taken'))
  })

  it('refuses an invite to another site than the one it was minted for', async () => {
    const { invite, enrolWithKey, hostWithKey } = await ownedSite()
    await hostWithKey('wiki', await createTestAuthor())
    expect(await enrolWithKey('wiki', await createTestAuthor(), await invite())).toEqual(error('bad-invite'))
  })

  it('checks the enrol signature before the invite, and uses the challenge up', async () => {
    const { invite, connect, challenge } = await ownedSite()
    const [bob, eve] = [await createTestAuthor(), await createTestAuthor()]
    const code = await invite()
    const peer = connect()
    const nonce = await challenge(peer)
    const message = { type: 'enrol', site: 'blog', key: bob.key, invite: code, signature: await eve.sign(enrolProof('blog', code, nonce)) } as const
    await peer.say(message)
    await peer.say({ ...message, signature: await bob.sign(enrolProof('blog', code, nonce)) })
    expect(peer.take()).toEqual([error('bad-signature'), error('no-challenge')])
  })

  it('lets only a tab hosting the site with the owner\'s key mint and revoke', async () => {
    const { invite, enrolWithKey, hostWithKey, host, connect } = await ownedSite()
    const bob = await createTestAuthor()
    const code = await invite()
    await enrolWithKey('blog', bob, code)
    const author = await hostWithKey('blog', bob)
    const stranger = connect()
    const legacy = await host('wiki')
    for (const tab of [author, stranger, legacy]) {
      await tab.say({ type: 'invite-mint' })
      await tab.say({ type: 'invite-revoke', invite: code })
      expect(tab.take()).toEqual([error('not-owner'), error('not-owner')])
    }
    expect(await enrolWithKey('blog', await createTestAuthor(), code)).toEqual({ type: 'enrolled', site: 'blog', room: { epoch: 0 } })
  })

  it('mints for the site the tab hosts, never another the key owns', async () => {
    const { hostWithKey, enrolWithKey, owner } = await ownedSite()
    const wikiTab = await hostWithKey('wiki', owner)
    await wikiTab.say({ type: 'invite-mint' })
    const reply = wikiTab.take()[0]
    if (reply?.type !== 'invite') throw new Error(`expected invite, got ${JSON.stringify(reply)}`)
    const bob = await createTestAuthor()
    expect(await enrolWithKey('blog', bob, reply.invite)).toEqual(error('bad-invite'))
    expect(await enrolWithKey('wiki', bob, reply.invite)).toEqual({ type: 'enrolled', site: 'wiki', room: { epoch: 0 } })
  })

  it(`refuses a mint past ${MAX_INVITES} live invites with too-many`, async () => {
    const { invite, mint } = await ownedSite()
    for (let i = 0; i < MAX_INVITES; i++) await invite()
    expect(await mint()).toEqual(error('too-many'))
  })
})
