import { describe, expect, it } from 'vitest'
import { SIGNAL_CLOSE_CODES } from '../../../../../shared/protocol/signal'
import type { YjsServerMessage } from '../../../../../shared/protocol/yjs-signal'
import { MAX_CONNECTIONS_PER_ADDRESS, MAX_YJS_BUFFERED_BYTES, MAX_YJS_SUBSCRIBERS_PER_TOPIC, YJS_MESSAGE_BURST, YJS_MESSAGES_PER_SECOND } from '../../../../../server/utils/limits/defaults'
import { createTestRooms } from './fake-peers'

// Each limit at its default: the limit passes, one more is refused with its code.

const codes = (messages: YjsServerMessage[]) => messages.map(message => (message.type === 'error' ? message.code : message.type))

describe('yjs room hub limits', () => {
  it(`lets ${MAX_YJS_SUBSCRIBERS_PER_TOPIC} connections subscribe to a topic and refuses the next with too-many-subscribers`, () => {
    const { subscriber, rooms } = createTestRooms({ limits: { maxConnectionsPerAddress: 10_000 } })
    const members = Array.from({ length: MAX_YJS_SUBSCRIBERS_PER_TOPIC }, () => subscriber('room'))
    expect(members.flatMap(member => member.take())).toEqual([])
    const late = subscriber('room')
    expect(codes(late.take())).toEqual(['too-many-subscribers'])
    expect(rooms.stats().subscriptions).toBe(MAX_YJS_SUBSCRIBERS_PER_TOPIC)
    // Re-subscribing a member counts nothing twice; a member leaving makes room.
    members[0]!.say({ type: 'subscribe', topics: ['room'] })
    expect(members[0]!.take()).toEqual([])
    rooms.disconnect(members[1]!.id)
    late.say({ type: 'subscribe', topics: ['room'] })
    expect(late.take()).toEqual([])
    late.say({ type: 'publish', topic: 'room', data: 'hello' })
    expect(late.take()).toEqual([{ type: 'publish', topic: 'room', data: 'hello', clients: MAX_YJS_SUBSCRIBERS_PER_TOPIC }])
  })

  it(`handles a burst of ${YJS_MESSAGE_BURST} messages, drops the next with one rate-limited notice, and refills at ${YJS_MESSAGES_PER_SECOND} a second`, () => {
    let now = 0
    const { connect } = createTestRooms({ now: () => now })
    const peer = connect()
    for (let i = 0; i < YJS_MESSAGE_BURST; i++) peer.say({ type: 'ping' })
    expect(peer.take()).toHaveLength(YJS_MESSAGE_BURST)
    for (let i = 0; i < 100; i++) peer.say({ type: 'ping' })
    expect(codes(peer.take())).toEqual(['rate-limited'])
    now += 1000
    for (let i = 0; i < YJS_MESSAGES_PER_SECOND; i++) peer.say({ type: 'ping' })
    expect(codes(peer.take())).toEqual(Array(YJS_MESSAGES_PER_SECOND).fill('pong'))
    peer.say({ type: 'ping' })
    expect(codes(peer.take())).toEqual(['rate-limited'])
  })

  it(`accepts ${MAX_CONNECTIONS_PER_ADDRESS} connections from one address and refuses the next with too-many-connections and ${SIGNAL_CLOSE_CODES.tooManyConnections}`, () => {
    const { connect, rooms } = createTestRooms()
    const peers = Array.from({ length: MAX_CONNECTIONS_PER_ADDRESS }, () => connect(undefined, undefined, '203.0.113.7'))
    expect(peers.some(peer => peer.closed !== null)).toBe(false)
    const refused = connect(undefined, undefined, '203.0.113.7')
    expect(codes(refused.take())).toEqual(['too-many-connections'])
    expect(refused.closed).toBe(SIGNAL_CLOSE_CODES.tooManyConnections)
    expect(rooms.stats().peers).toBe(MAX_CONNECTIONS_PER_ADDRESS)
    expect(connect(undefined, undefined, '198.51.100.1').closed).toBeNull()
    rooms.disconnect(peers[0]!.id)
    expect(connect(undefined, undefined, '203.0.113.7').closed).toBeNull()
  })

  it(`cuts a subscriber with more than ${MAX_YJS_BUFFERED_BYTES} bytes waiting and forgets it, and the others still get the publish`, () => {
    const { subscriber, rooms } = createTestRooms()
    const [a, slow, c] = [subscriber('room'), subscriber('room'), subscriber('room')]
    slow.buffered = MAX_YJS_BUFFERED_BYTES
    a.say({ type: 'publish', topic: 'room', data: 'one' })
    expect(slow.closed).toBeNull()
    slow.buffered = MAX_YJS_BUFFERED_BYTES + 1
    a.say({ type: 'publish', topic: 'room', data: 'two' })
    expect(slow.closed).toBe(0)
    expect(c.take().map(message => message.type === 'publish' && message.data)).toEqual(['one', 'two'])
    expect(rooms.stats()).toEqual({ peers: 2, topics: 1, subscriptions: 2 })
    a.say({ type: 'publish', topic: 'room', data: 'three' })
    expect(slow.take().map(message => message.type === 'publish' && message.data)).toEqual(['one', 'two'])
  })
})
