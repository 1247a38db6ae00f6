import { describe, expect, it } from 'vitest'
import { CHALLENGE_TTL_MS, enrolProof, hostProof } from '../../../../../shared/protocol/signal'
import { createTestHub } from './fake-peers'
import { createTestAuthor, createTestClock, type TestAuthor } from './test-authors'

const hosting = (role: 'owner' | 'author', epoch = 0) => ({ type: 'hosting', site: 'blog', code: expect.stringMatching(/^[A-Z]{6}$/), role, room: { epoch } })
const error = (code: string) => ({ type: 'error', code, message: expect.any(String) })

describe('signaling hub: hosting by author key', () => {
  it('gives a free name to the first key, as owner, with no token', async () => {
    const { hostWithKey, log } = createTestHub()
    const peer = await hostWithKey('blog', await createTestAuthor())
    expect(peer.reply).toEqual(hosting('owner'))
    expect(peer.reply).not.toHaveProperty('token')
    expect(log.lines.filter(line => line.level !== 'info')).toEqual([])
  })

  it('registers the same key again, from a second connection and after leaving', async () => {
    const { hub, hostWithKey, visit } = createTestHub()
    const ada = await createTestAuthor()
    const first = await hostWithKey('blog', ada)
    const second = await hostWithKey('blog', ada)
    expect(second.reply).toEqual(first.reply)
    await visit('blog')
    await visit('blog')
    expect([first.take(), second.take()].map(messages => messages.map(message => message.type))).toEqual([['visitor'], ['visitor']])
    hub.disconnect(first.id)
    hub.disconnect(second.id)
    expect((await hostWithKey('blog', ada)).reply).toEqual(first.reply)
  })

  it('refuses another key, and a legacy host without the token', async () => {
    const { hostWithKey, connect } = createTestHub()
    await hostWithKey('blog', await createTestAuthor())
    expect((await hostWithKey('blog', await createTestAuthor())).reply).toEqual(error('name-taken'))
    const legacy = connect()
    await legacy.say({ type: 'host', site: 'blog', token: 'guess' })
    expect(legacy.take()).toEqual([error('name-taken')])
  })

  it('refuses a key without a pending challenge, and one asked for on another connection', async () => {
    const { connect, challenge } = createTestHub()
    const ada = await createTestAuthor()
    const asker = connect()
    const nonce = await challenge(asker)
    const other = connect()
    await other.say({ type: 'host', site: 'blog', key: ada.key, signature: await ada.sign(hostProof('blog', nonce)) })
    expect(other.take()).toEqual([error('no-challenge')])
  })

  it('uses a challenge once: a replayed signature is refused, on the same connection or another', async () => {
    const { hub, connect, challenge, hostWithKey } = createTestHub()
    const ada = await createTestAuthor()
    const first = connect()
    const signature = await ada.sign(hostProof('blog', await challenge(first)))
    const message = { type: 'host', site: 'blog', key: ada.key, signature } as const
    await first.say(message)
    expect(first.take()).toEqual([hosting('owner')])
    hub.disconnect(first.id)
    const replayer = connect()
    await replayer.say(message)
    expect(replayer.take()).toEqual([error('no-challenge')])
    await challenge(replayer)
    await replayer.say(message)
    expect(replayer.take()).toEqual([error('bad-signature')])
    // A failed answer uses the challenge up too.
    await replayer.say(message)
    expect(replayer.take()).toEqual([error('no-challenge')])
    expect((await hostWithKey('blog', ada, { peer: replayer })).reply).toEqual(hosting('owner'))
  })

  it('answers a challenge until it expires, and no later', async () => {
    const clock = createTestClock()
    const { connect, challenge } = createTestHub({ now: clock.now })
    const ada = await createTestAuthor()
    const peer = connect()
    const late = await ada.sign(hostProof('blog', await challenge(peer)))
    clock.advance(CHALLENGE_TTL_MS)
    await peer.say({ type: 'host', site: 'blog', key: ada.key, signature: late })
    expect(peer.take()).toEqual([error('no-challenge')])
    const onTime = await ada.sign(hostProof('blog', await challenge(peer)))
    clock.advance(CHALLENGE_TTL_MS - 1)
    await peer.say({ type: 'host', site: 'blog', key: ada.key, signature: onTime })
    expect(peer.take()).toEqual([hosting('owner')])
  })

  it('answers only the latest challenge', async () => {
    const { connect, challenge } = createTestHub()
    const ada = await createTestAuthor()
    const peer = connect()
    const stale = await challenge(peer)
    const fresh = await challenge(peer)
    expect(fresh).not.toBe(stale)
    await peer.say({ type: 'host', site: 'blog', key: ada.key, signature: await ada.sign(hostProof('blog', stale)) })
    expect(peer.take()).toEqual([error('bad-signature')])
  })

  it.each<[string, (scene: { nonce: string, ada: TestAuthor, eve: TestAuthor }) => Promise<string | undefined>]>([
    ['by another key', ({ nonce, eve }) => eve.sign(hostProof('blog', nonce))],
    ['over another site', ({ nonce, ada }) => ada.sign(hostProof('wiki', nonce))],
    ['over the enrol proof', ({ nonce, ada }) => ada.sign(enrolProof('blog', 'A'.repeat(43), nonce))],
    ['over another nonce', ({ ada }) => ada.sign(hostProof('blog', 'B'.repeat(43)))],
    ['that is missing', async () => undefined],
    ['of zeros', async () => 'A'.repeat(86)],
  ])('refuses a signature %s, and the name stays free', async (_, sign) => {
    const { connect, challenge, hub } = createTestHub()
    const [ada, eve] = [await createTestAuthor(), await createTestAuthor()]
    const peer = connect()
    const signature = await sign({ nonce: await challenge(peer), ada, eve })
    await peer.say({ type: 'host', site: 'blog', key: ada.key, ...(signature === undefined ? {} : { signature }) })
    expect(peer.take()).toEqual([error('bad-signature')])
    expect(await hub.siteStatus('blog')).toEqual({ taken: false, online: false })
  })

  it('refuses a key that is no P-256 key', async () => {
    const { connect, challenge } = createTestHub()
    const ada = await createTestAuthor()
    const peer = connect()
    const signature = await ada.sign(hostProof('blog', await challenge(peer)))
    await peer.say({ type: 'host', site: 'blog', key: 'A'.repeat(122), signature })
    expect(peer.take()).toEqual([error('bad-signature')])
  })

  it('hosts one site per connection, with a key too', async () => {
    const { hostWithKey } = createTestHub()
    const ada = await createTestAuthor()
    const peer = await hostWithKey('blog', ada)
    expect((await hostWithKey('wiki', ada, { peer })).reply).toEqual(error('already-hosting'))
  })

  it('migrates a legacy site by key with its token; then the token alone registers nothing', async () => {
    const { host, hostWithKey, connect } = createTestHub()
    const legacy = await host('blog')
    const [ada, bob] = [await createTestAuthor(), await createTestAuthor()]
    expect((await hostWithKey('blog', ada)).reply).toEqual(error('name-taken'))
    expect((await hostWithKey('blog', ada, { token: legacy.token })).reply).toEqual({ ...hosting('owner'), code: legacy.received[0]?.type === 'hosting' ? legacy.received[0].code : '' })
    // The token alone is no credential any more; with another holder's key it brings that key in too.
    const tokenOnly = connect()
    await tokenOnly.say({ type: 'host', site: 'blog', token: legacy.token })
    expect(tokenOnly.take()).toEqual([error('name-taken')])
    expect((await hostWithKey('blog', bob)).reply).toEqual(error('name-taken'))
    expect((await hostWithKey('blog', bob, { token: legacy.token })).reply).toEqual(hosting('owner'))
    expect((await hostWithKey('blog', ada)).reply).toEqual(hosting('owner'))
  })
})
