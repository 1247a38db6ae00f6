import { describe, expect, it } from 'vitest'
import { MAX_YJS_TOPICS_PER_CONNECTION, MAX_YJS_TOPICS_PER_MESSAGE } from '../../../../../shared/protocol/yjs-signal'
import { createTestRooms } from './fake-peers'

const announce = { type: 'announce', from: 'f7c1' }

describe('yjs room hub: topics and publish', () => {
  it('forwards a publish to every subscriber of the topic, the sender included, with the count', () => {
    const { subscriber } = createTestRooms()
    const [a, b, c] = [subscriber('room'), subscriber('room'), subscriber('other')]
    a.say({ type: 'publish', topic: 'room', data: 'c2VhbGVk' })
    const forwarded = { type: 'publish', topic: 'room', data: 'c2VhbGVk', clients: 2 }
    expect(a.take()).toEqual([forwarded])
    expect(b.take()).toEqual([forwarded])
    expect(c.take()).toEqual([])
  })

  it('passes an unencrypted payload object through as it came', () => {
    const { subscriber } = createTestRooms()
    const [a, b] = [subscriber('room'), subscriber('room')]
    const data = { to: 'b', from: 'a', type: 'signal', token: 1.5, signal: { type: 'offer', sdp: 'v=0' }, extra: [1, { x: null }] }
    a.say({ type: 'publish', topic: 'room', data })
    expect(b.take()).toEqual([{ type: 'publish', topic: 'room', data, clients: 2 }])
  })

  it('lets a connection publish to a topic it is not subscribed to, as y-webrtc\'s server does', () => {
    const { subscriber, connect } = createTestRooms()
    const listener = subscriber('room')
    const outsider = connect()
    outsider.say({ type: 'publish', topic: 'room', data: announce })
    expect(listener.take()).toEqual([{ type: 'publish', topic: 'room', data: announce, clients: 1 }])
    expect(outsider.take()).toEqual([])
  })

  it('drops a publish to a topic nobody is in, without an error', () => {
    const { connect } = createTestRooms()
    const lonely = connect()
    lonely.say({ type: 'publish', topic: 'empty', data: announce })
    expect(lonely.take()).toEqual([])
  })

  it('relays no field it does not know, and counts clients itself', () => {
    const { subscriber } = createTestRooms()
    const [a, b] = [subscriber('room'), subscriber('room')]
    a.say(JSON.stringify({ type: 'publish', topic: 'room', data: 'x', clients: 999, from: b.id, sender: 'admin' }))
    expect(b.take()).toEqual([{ type: 'publish', topic: 'room', data: 'x', clients: 2 }])
  })

  it('answers ping with pong', () => {
    const { connect } = createTestRooms()
    const peer = connect()
    peer.say({ type: 'ping' })
    expect(peer.take()).toEqual([{ type: 'pong' }])
  })

  it('reads bytes as UTF-8 JSON text (crossws\'s Node adapter hands text frames over as Buffers)', () => {
    const { connect } = createTestRooms()
    const peer = connect()
    peer.say(Buffer.from('{"type":"ping"}'))
    expect(peer.take()).toEqual([{ type: 'pong' }])
  })

  it('does not deliver twice to a connection that subscribes again (y-webrtc re-subscribes often)', () => {
    const { rooms, subscriber } = createTestRooms()
    const [a, b] = [subscriber('room'), subscriber('room')]
    b.say({ type: 'subscribe', topics: ['room', 'room'] })
    a.say({ type: 'publish', topic: 'room', data: 'x' })
    expect(b.take()).toEqual([{ type: 'publish', topic: 'room', data: 'x', clients: 2 }])
    expect(rooms.stats()).toEqual({ peers: 2, topics: 1, subscriptions: 2 })
  })

  it('stops delivering after unsubscribe, and forgets empty topics', () => {
    const { rooms, subscriber } = createTestRooms()
    const [a, b] = [subscriber('room', 'side'), subscriber('room')]
    b.say({ type: 'unsubscribe', topics: ['room', 'never-joined'] })
    a.say({ type: 'publish', topic: 'room', data: 'x' })
    expect(b.take()).toEqual([])
    expect(a.take()).toEqual([{ type: 'publish', topic: 'room', data: 'x', clients: 1 }])
    a.say({ type: 'unsubscribe', topics: ['room', 'side'] })
    expect(rooms.stats()).toEqual({ peers: 2, topics: 0, subscriptions: 0 })
  })

  it('forgets every subscription of a connection that disconnects', () => {
    const { rooms, subscriber } = createTestRooms()
    const [a, b] = [subscriber('room', 'side', 'third'), subscriber('room')]
    rooms.disconnect(a.id)
    expect(rooms.stats()).toEqual({ peers: 1, topics: 1, subscriptions: 1 })
    b.say({ type: 'publish', topic: 'room', data: 'x' })
    expect(a.take()).toEqual([])
    expect(b.take()).toEqual([{ type: 'publish', topic: 'room', data: 'x', clients: 1 }])
    rooms.disconnect(b.id)
    expect(rooms.stats()).toEqual({ peers: 0, topics: 0, subscriptions: 0 })
  })

  it('leaves nothing behind after many connections come and go', () => {
    const { rooms, subscriber } = createTestRooms()
    for (let i = 0; i < 200; i++) {
      const peer = subscriber(`room-${i % 7}`, 'lobby')
      peer.say({ type: 'publish', topic: 'lobby', data: 'hi' })
      rooms.disconnect(peer.id)
    }
    expect(rooms.stats()).toEqual({ peers: 0, topics: 0, subscriptions: 0 })
  })
})

describe('yjs room hub: topic limits', () => {
  const topics = (from: number, count: number) => Array.from({ length: count }, (_, i) => `t${from + i}`)

  it(`takes ${MAX_YJS_TOPICS_PER_CONNECTION} topics per connection, then refuses a subscribe whole`, () => {
    const { rooms, connect } = createTestRooms()
    const peer = connect()
    for (let i = 0; i < MAX_YJS_TOPICS_PER_CONNECTION; i += MAX_YJS_TOPICS_PER_MESSAGE) {
      peer.say({ type: 'subscribe', topics: topics(i, MAX_YJS_TOPICS_PER_MESSAGE) })
    }
    expect(peer.take()).toEqual([])
    peer.say({ type: 'subscribe', topics: ['t0', 'one-more'] })
    expect(peer.take()).toEqual([{ type: 'error', code: 'too-many-topics', message: expect.stringContaining(`${MAX_YJS_TOPICS_PER_CONNECTION}`) }])
    expect(rooms.stats().subscriptions).toBe(MAX_YJS_TOPICS_PER_CONNECTION)
    // Topics it is already in do not count again, and unsubscribing makes room.
    peer.say({ type: 'subscribe', topics: ['t0', 't1'] })
    peer.say({ type: 'unsubscribe', topics: ['t0'] })
    peer.say({ type: 'subscribe', topics: ['one-more'] })
    expect(peer.take()).toEqual([])
  })

  it('counts the limit per connection, not per hub', () => {
    const { rooms, connect } = createTestRooms()
    for (let n = 0; n < 3; n++) {
      const peer = connect()
      peer.say({ type: 'subscribe', topics: topics(0, MAX_YJS_TOPICS_PER_MESSAGE) })
      peer.say({ type: 'subscribe', topics: topics(MAX_YJS_TOPICS_PER_MESSAGE, MAX_YJS_TOPICS_PER_MESSAGE) })
      expect(peer.take()).toEqual([])
    }
    expect(rooms.stats()).toEqual({ peers: 3, topics: 100, subscriptions: 300 })
  })
})
