import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { encodeRelay, type ServerMessage } from '../../../../shared/protocol/signal'
import { siteRoomName } from '../../../../shared/protocol/yjs-signal'
import { authorKeyId } from '../../../../server/utils/signaling/author-keys'
import { DEFAULT_RELAY_RATE, type FakePeer } from '../utils/signaling/fake-peers'
import { createTestAuthor } from '../utils/signaling/test-authors'
import { createMemoryCluster, createRedisCluster, type TestCluster } from './instances'
import { startTestRedis, waitFor, type TestRedis } from '../../../helpers/redis-server'

// Two instances (A and B) of the signaling and room hubs, each with its own
// backplane, as two Nitro processes behind one address: over a real Redis,
// and over the in-process backplane the hubs use by default.

let redis: TestRedis
beforeAll(async () => {
  redis = await startTestRedis()
})
afterAll(async () => {
  await redis?.stop()
})

const offer = { description: { type: 'offer' as const, sdp: 'v=0 offer' } }
const answer = { description: { type: 'answer' as const, sdp: 'v=0 answer' } }
const error = (code: string) => ({ type: 'error', code, message: expect.any(String) })

/** Wait until `peer` has received a message of `type`, and return what it received since its last take. */
async function next(peer: FakePeer, type: ServerMessage['type']): Promise<ServerMessage[]> {
  await waitFor(`${peer.id} to receive ${type}`, () => peer.received.some((message, index) => message.type === type && index >= peer.received.length - 10))
  return peer.take()
}

describe.each(['redis', 'memory'] as const)('signaling across instances (%s backplane)', (kind) => {
  let cluster: TestCluster
  const make = () => (kind === 'redis' ? createRedisCluster(redis.url) : createMemoryCluster())
  afterEach(async () => {
    await cluster?.close()
  })

  async function twoInstances() {
    cluster = make()
    return { a: await cluster.instance('a'), b: await cluster.instance('b') }
  }

  it('introduces a visitor on B to a host on A; signal, relay frames and leave cross both ways', async () => {
    const { a, b } = await twoInstances()
    const host = await a.signal.host('blog')
    const visitor = b.signal.connect()
    await visitor.say({ type: 'visit', site: 'blog' })
    const [visiting] = visitor.take()
    expect(visiting).toMatchObject({ type: 'visiting', site: 'blog', relay: DEFAULT_RELAY_RATE })
    const session = visiting?.type === 'visiting' ? visiting.session : ''
    expect(await next(host, 'visitor')).toEqual([{ type: 'visitor', session, relay: DEFAULT_RELAY_RATE }])

    await host.say({ type: 'signal', session, data: offer })
    expect(await next(visitor, 'signal')).toEqual([{ type: 'signal', session, data: offer }])
    await visitor.say({ type: 'signal', session, data: answer })
    expect(await next(host, 'signal')).toEqual([{ type: 'signal', session, data: answer }])

    const up = encodeRelay(session, new Uint8Array([1, 2, 3, 0, 255]))
    const down = encodeRelay(session, new Uint8Array(60_000).fill(7))
    await visitor.say(up)
    await host.say(down)
    await waitFor('both relay frames', () => host.binary.length === 1 && visitor.binary.length === 1)
    expect(host.binary).toEqual([up])
    expect(visitor.binary).toEqual([down])

    await visitor.say({ type: 'leave', session })
    expect(await next(host, 'session-closed')).toEqual([{ type: 'session-closed', session, reason: 'visitor-left' }])
    expect([a.signal.hub.stats().sessions, b.signal.hub.stats().sessions]).toEqual([0, 0])
    // The session is gone on both sides: neither may use it any more.
    await host.say({ type: 'signal', session, data: offer })
    await visitor.say(up)
    expect(host.take()).toEqual([error('not-your-session')])
    expect(visitor.take()).toEqual([error('not-your-session')])
  })

  it('charges relay frames to the session on the sender\'s instance, and tells each party its own instance\'s rate', async () => {
    cluster = make()
    const a = await cluster.instance('a')
    // B's sessions relay 2,500 bytes at once and then next to nothing: frames its visitor sends are charged there.
    const b = await cluster.instance('b', { limits: { relayBurstBytes: 2500, relayBytesPerSecond: 1 } })
    const host = await a.signal.host('blog')
    const visitor = b.signal.connect()
    await visitor.say({ type: 'visit', site: 'blog' })
    const [visiting] = visitor.take()
    expect(visiting).toMatchObject({ type: 'visiting', relay: { bytesPerSecond: 1, burstBytes: 2500 } })
    const session = visiting?.type === 'visiting' ? visiting.session : ''
    expect(await next(host, 'visitor')).toEqual([{ type: 'visitor', session, relay: DEFAULT_RELAY_RATE }])
    const frame = encodeRelay(session, new Uint8Array(1000))
    for (let i = 0; i < 3; i++) await visitor.say(frame)
    await waitFor('two frames', () => host.binary.length === 2)
    expect(visitor.take()).toEqual([{ ...error('relay-rate'), session }])
    // The host's frames are charged on A, whose sessions have the default bucket.
    for (let i = 0; i < 3; i++) await host.say(frame)
    await waitFor('three frames', () => visitor.binary.length === 3)
    expect(host.take()).toEqual([])
  })

  it('tells the other party session-closed when either one disconnects', async () => {
    const { a, b } = await twoInstances()
    const host = await a.signal.host('blog')
    const first = await b.signal.visit('blog')
    const second = await b.signal.visit('blog')
    await waitFor('both visitors announced', () => host.received.filter(message => message.type === 'visitor').length === 2)
    host.take()
    b.signal.hub.disconnect(first.id)
    expect(await next(host, 'session-closed')).toEqual([{ type: 'session-closed', session: first.session, reason: 'visitor-left' }])
    a.signal.hub.disconnect(host.id)
    expect(await next(second, 'session-closed')).toEqual([{ type: 'session-closed', session: second.session, reason: 'host-left' }])
    expect(b.signal.hub.stats().sessions).toBe(0)
  })

  it('picks the least busy host across instances, and says no-host once none is left anywhere', async () => {
    const { a, b } = await twoInstances()
    const here = await a.signal.host('blog')
    const there = await b.signal.host('blog', here.token)
    // A tie goes to the host on the visitor's own instance; the next visit to the idle one on B.
    const v1 = await a.signal.visit('blog')
    const v2 = await a.signal.visit('blog')
    expect(here.take()).toEqual([{ type: 'visitor', session: v1.session, relay: DEFAULT_RELAY_RATE }])
    expect(await next(there, 'visitor')).toEqual([{ type: 'visitor', session: v2.session, relay: DEFAULT_RELAY_RATE }])
    a.signal.hub.disconnect(here.id)
    b.signal.hub.disconnect(there.id)
    const late = a.signal.connect()
    await waitFor('both hosts gone', async () => !(await a.signal.hub.siteStatus('blog')).online)
    await late.say({ type: 'visit', site: 'blog' })
    expect(late.take()).toEqual([error('no-host')])
  })

  it('sees a host on A from B: name status, join code and the authors\' online flags', async () => {
    const { a, b } = await twoInstances()
    const [owner, bob] = [await createTestAuthor(), await createTestAuthor()]
    const ownerTab = await a.signal.hostWithKey('blog', owner)
    const code = (ownerTab.reply?.type === 'hosting' ? ownerTab.reply.code : undefined) ?? ''
    expect(await b.signal.hub.siteStatus('blog')).toEqual({ taken: true, online: true })
    expect(await b.signal.hub.joinCode(code)).toEqual({ site: 'blog', online: true })

    await ownerTab.say({ type: 'invite-mint' })
    const [minted] = ownerTab.take()
    expect(await b.signal.enrolWithKey('blog', bob, minted?.type === 'invite' ? minted.invite : '')).toMatchObject({ type: 'enrolled', site: 'blog' })
    const bobTab = await b.signal.hostWithKey('blog', bob)
    expect(bobTab.reply).toMatchObject({ type: 'hosting', role: 'author', code })
    for (const tab of [ownerTab, bobTab]) {
      await tab.say({ type: 'authors' })
      const [reply] = tab.take()
      const authors = reply?.type === 'authors' ? reply.authors : []
      expect(authors.map(({ id, online }) => ({ id, online }))).toEqual([{ id: authorKeyId(owner.key), online: true }, { id: authorKeyId(bob.key), online: true }])
    }

    a.signal.hub.disconnect(ownerTab.id)
    await waitFor('B to see the owner offline', async () => {
      await bobTab.say({ type: 'authors' })
      const [reply] = bobTab.take()
      return reply?.type === 'authors' && reply.authors[0]?.online === false
    })
    b.signal.hub.disconnect(bobTab.id)
    await waitFor('A to see blog offline', async () => (await a.signal.hub.siteStatus('blog')).online === false)
    expect(await a.signal.hub.joinCode(code)).toEqual({ site: 'blog', online: false })
  })

  it('a removal on A closes the removed author\'s tab on B, moves B\'s other tabs on, and evicts B\'s room connections', async () => {
    const { a, b } = await twoInstances()
    const [owner, bob, cy] = [await createTestAuthor(), await createTestAuthor(), await createTestAuthor()]
    const ownerTab = await a.signal.hostWithKey('blog', owner)
    await ownerTab.say({ type: 'invite-mint' })
    const [minted] = ownerTab.take()
    const invite = minted?.type === 'invite' ? minted.invite : ''
    await b.signal.enrolWithKey('blog', bob, invite)
    await b.signal.enrolWithKey('blog', cy, invite)
    const bobTab = await b.signal.hostWithKey('blog', bob)
    const cyTab = await b.signal.hostWithKey('blog', cy)
    const topic = siteRoomName('blog', 0)
    const bobRoom = b.rooms.connect('bob-room', { site: 'blog', epoch: 0, key: bob.key, topic })
    const cyRoom = b.rooms.connect('cy-room', { site: 'blog', epoch: 0, key: cy.key, topic })
    const ownerRoom = a.rooms.connect('owner-room', { site: 'blog', epoch: 0, key: owner.key, topic })

    await ownerTab.say({ type: 'author-remove', author: authorKeyId(bob.key) })
    const moved = { type: 'author-removed', site: 'blog', author: authorKeyId(bob.key), room: { epoch: 1, secret: expect.stringMatching(/^[\w-]{43}$/) } }
    expect(ownerTab.take()).toEqual([moved])
    await waitFor('B to close the removed tab', () => bobTab.closed)
    expect(bobTab.take()).toEqual([error('removed')])
    expect(bobTab.closeCode).toBe(4403)
    expect(await next(cyTab, 'author-removed')).toEqual([moved])
    expect(cyTab.closed).toBe(false)
    // Every connection to the old epoch's room is closed, on both instances.
    expect([bobRoom.closed, cyRoom.closed, ownerRoom.closed]).toEqual([4403, 4403, 4403])
    expect([a.rooms.rooms.stats().peers, b.rooms.rooms.stats().peers]).toEqual([0, 0])
  })
})
