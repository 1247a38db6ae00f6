import { describe, expect, it } from 'vitest'
import { SIGNAL_CLOSE_CODES, encodeRelay, type ServerMessage } from '../../../../../shared/protocol/signal'
import { MAX_CONNECTIONS_PER_ADDRESS, MAX_SIGNAL_BUFFERED_BYTES, MAX_VISITS_PER_SOCKET, NEW_SITES_PER_ADDRESS_PER_HOUR, RELAY_BURST_BYTES, RELAY_BYTES_PER_SECOND, SIGNAL_MESSAGE_BURST, SIGNAL_MESSAGES_PER_SECOND } from '../../../../../server/utils/limits/defaults'
import { createTestHub } from './fake-peers'

// Each limit at its default: the limit passes, one more is refused with its code.

/** A clock the test moves by hand. */
function manualClock(start = Date.UTC(2030, 0, 1)) {
  let now = start
  return { now: () => now, advance: (ms: number) => (now += ms) }
}

const codes = (messages: ServerMessage[]) => messages.map(message => (message.type === 'error' ? message.code : message.type))

describe('signaling hub limits', () => {
  it(`opens ${MAX_VISITS_PER_SOCKET} visit sessions on one socket and refuses the next with too-many-sessions`, async () => {
    const { host, connect, hub } = createTestHub()
    const server = await host('blog')
    const visitor = connect()
    for (let i = 0; i < MAX_VISITS_PER_SOCKET; i++) await visitor.say({ type: 'visit', site: 'blog' })
    expect(codes(visitor.take())).toEqual(Array(MAX_VISITS_PER_SOCKET).fill('visiting'))
    await visitor.say({ type: 'visit', site: 'blog' })
    expect(codes(visitor.take())).toEqual(['too-many-sessions'])
    expect(hub.stats().sessions).toBe(MAX_VISITS_PER_SOCKET)
    // Leaving one makes room for one; the host was told of each session it serves, and of no more.
    const first = visitor.received.find(message => message.type === 'visiting')
    if (first?.type !== 'visiting') throw new Error('no session')
    await visitor.say({ type: 'leave', session: first.session })
    await visitor.say({ type: 'visit', site: 'blog' })
    expect(codes(visitor.take())).toEqual(['visiting'])
    expect(server.take().filter(message => message.type === 'visitor')).toHaveLength(MAX_VISITS_PER_SOCKET + 1)
  })

  it(`handles a burst of ${SIGNAL_MESSAGE_BURST} messages, drops the next with one rate-limited notice, and refills at ${SIGNAL_MESSAGES_PER_SECOND} a second`, async () => {
    const clock = manualClock()
    const { connect } = createTestHub({ now: clock.now })
    const peer = connect()
    for (let i = 0; i < SIGNAL_MESSAGE_BURST; i++) await peer.say({ type: 'ping' })
    expect(peer.take()).toHaveLength(SIGNAL_MESSAGE_BURST)
    for (let i = 0; i < 100; i++) await peer.say({ type: 'ping' })
    expect(codes(peer.take())).toEqual(['rate-limited'])
    clock.advance(1000)
    for (let i = 0; i < SIGNAL_MESSAGES_PER_SECOND; i++) await peer.say({ type: 'ping' })
    expect(codes(peer.take())).toEqual(Array(SIGNAL_MESSAGES_PER_SECOND).fill('pong'))
    await peer.say({ type: 'ping' })
    expect(codes(peer.take())).toEqual(['rate-limited'])
  })

  it(`accepts ${MAX_CONNECTIONS_PER_ADDRESS} connections from one address, refuses the next with too-many-connections and ${SIGNAL_CLOSE_CODES.tooManyConnections}, and counts addresses apart`, async () => {
    const { connect, hub } = createTestHub()
    const peers = Array.from({ length: MAX_CONNECTIONS_PER_ADDRESS }, () => connect(undefined, '203.0.113.7'))
    expect(peers.some(peer => peer.closed)).toBe(false)
    const refused = connect(undefined, '203.0.113.7')
    expect(codes(refused.take())).toEqual(['too-many-connections'])
    expect(refused.closeCode).toBe(SIGNAL_CLOSE_CODES.tooManyConnections)
    expect(hub.stats().peers).toBe(MAX_CONNECTIONS_PER_ADDRESS)
    const elsewhere = connect(undefined, '198.51.100.1')
    await elsewhere.say({ type: 'ping' })
    expect(codes(elsewhere.take())).toEqual(['pong'])
    // A connection that closes makes room for one.
    hub.disconnect(peers[0]!.id)
    const again = connect(undefined, '203.0.113.7')
    await again.say({ type: 'ping' })
    expect(codes(again.take())).toEqual(['pong'])
  })

  it(`cuts a socket with more than ${MAX_SIGNAL_BUFFERED_BYTES} bytes waiting, and ends its sessions`, async () => {
    const { host, visit, hub } = createTestHub()
    const server = await host('blog')
    const reader = await visit('blog')
    server.take()
    reader.buffered = MAX_SIGNAL_BUFFERED_BYTES
    await server.say({ type: 'signal', session: reader.session, data: { candidate: null } })
    expect(reader.closed).toBe(false)
    reader.buffered = MAX_SIGNAL_BUFFERED_BYTES + 1
    await server.say({ type: 'signal', session: reader.session, data: { candidate: null } })
    expect(reader.closeCode).toBe('terminated')
    await Promise.resolve()
    expect(server.take()).toEqual([{ type: 'session-closed', session: reader.session, reason: 'visitor-left' }])
    expect(hub.stats()).toEqual({ peers: 1, sessions: 0 })
    // Nothing more is sent to it.
    const before = reader.received.length
    await server.say({ type: 'signal', session: reader.session, data: { candidate: null } })
    expect(reader.received).toHaveLength(before)
  })

  it(`relays ${RELAY_BURST_BYTES} bytes of a session's visitor at once, refuses the next frame with relay-rate, and refills at ${RELAY_BYTES_PER_SECOND} a second`, async () => {
    const clock = manualClock()
    const { host, visit } = createTestHub({ now: clock.now })
    const server = await host('blog')
    const visitor = await visit('blog')
    const frame = encodeRelay(visitor.session, new Uint8Array(64 * 1024 - 17))
    expect(frame.length).toBe(64 * 1024)
    const frames = RELAY_BURST_BYTES / frame.length
    for (let i = 0; i < frames; i++) await visitor.say(frame)
    expect(server.binary).toHaveLength(frames)
    await visitor.say(encodeRelay(visitor.session, new Uint8Array(0)))
    expect(server.binary).toHaveLength(frames)
    // The error names the session, so the client knows which relayed tunnel lost a frame.
    expect(visitor.take()).toEqual([{ type: 'error', code: 'relay-rate', message: expect.stringContaining('each way'), session: visitor.session }])
    clock.advance(1000)
    for (let i = 0; i < RELAY_BYTES_PER_SECOND / frame.length; i++) await visitor.say(frame)
    expect(server.binary).toHaveLength(frames + RELAY_BYTES_PER_SECOND / frame.length)
    // Another session of the site has its own bytes.
    const other = await visit('blog')
    await other.say(encodeRelay(other.session, new Uint8Array(10)))
    expect(server.binary).toHaveLength(frames + RELAY_BYTES_PER_SECOND / frame.length + 1)
  })

  it('gives each party of a session its own relay bucket: the visitor\'s frames do not use up the host\'s, nor the reverse', async () => {
    const clock = manualClock()
    const { host, visit } = createTestHub({ now: clock.now })
    const server = await host('blog')
    const visitor = await visit('blog')
    server.take()
    const frame = (session: string) => encodeRelay(session, new Uint8Array(64 * 1024 - 17))
    const frames = RELAY_BURST_BYTES / (64 * 1024)
    for (let i = 0; i < frames; i++) await visitor.say(frame(visitor.session))
    await visitor.say(frame(visitor.session))
    expect(codes(visitor.take())).toEqual(['relay-rate'])
    // The visitor spent its burst; the host still has all of its own, at the same instant.
    for (let i = 0; i < frames; i++) await server.say(frame(visitor.session))
    expect([visitor.binary.length, server.take()]).toEqual([frames, []])
    // And past it the host is refused too, while the visitor, refilled, is not.
    await server.say(frame(visitor.session))
    expect(codes(server.take())).toEqual(['relay-rate'])
    clock.advance(1000)
    await visitor.say(frame(visitor.session))
    expect([server.binary.length, visitor.take()]).toEqual([frames + 1, []])
  })

  it('relays a site\'s daily quota, refuses the next frame with relay-quota, and relays again the next UTC day', async () => {
    const clock = manualClock()
    const frame = 1000
    const { host, visit } = createTestHub({ now: clock.now, limits: { relayBytesPerSitePerDay: 10 * frame } })
    const server = await host('blog')
    const visitors = [await visit('blog'), await visit('blog')]
    for (let i = 0; i < 10; i++) await visitors[i % 2]!.say(encodeRelay(visitors[i % 2]!.session, new Uint8Array(frame - 17)))
    expect(server.binary).toHaveLength(10)
    await visitors[0]!.say(encodeRelay(visitors[0]!.session, new Uint8Array(0)))
    expect(codes(visitors[0]!.take())).toEqual(['relay-quota'])
    // Another site is not charged for it.
    const shop = await host('shop')
    const buyer = await visit('shop')
    await buyer.say(encodeRelay(buyer.session, new Uint8Array(frame - 17)))
    expect(shop.binary).toHaveLength(1)
    clock.advance(24 * 3600_000)
    await visitors[0]!.say(encodeRelay(visitors[0]!.session, new Uint8Array(0)))
    expect(server.binary).toHaveLength(11)
  })

  it(`lets one address claim ${NEW_SITES_PER_ADDRESS_PER_HOUR} new names an hour, refuses the next with too-many-names, and still registers names it has`, async () => {
    const clock = manualClock()
    const { connect } = createTestHub({ now: clock.now })
    const register = async (site: string, address = '203.0.113.7', token?: string) => {
      const peer = connect(undefined, address)
      await peer.say(token === undefined ? { type: 'host', site } : { type: 'host', site, token })
      return peer.take()[0]
    }
    const first = await register('site-0')
    for (let i = 1; i < NEW_SITES_PER_ADDRESS_PER_HOUR; i++) expect((await register(`site-${i}`))?.type).toBe('hosting')
    expect(await register('one-more')).toMatchObject({ type: 'error', code: 'too-many-names' })
    // A name it has registers as before; another address claims new names.
    if (first?.type !== 'hosting' || first.token === undefined) throw new Error('no token')
    expect((await register('site-0', '203.0.113.7', first.token))?.type).toBe('hosting')
    expect((await register('elsewhere', '198.51.100.1'))?.type).toBe('hosting')
    // A taken name is still name-taken, not too-many-names.
    expect(await register('site-1')).toMatchObject({ type: 'error', code: 'name-taken' })
    clock.advance(3600_000 / NEW_SITES_PER_ADDRESS_PER_HOUR)
    expect((await register('one-more'))?.type).toBe('hosting')
  })
})
