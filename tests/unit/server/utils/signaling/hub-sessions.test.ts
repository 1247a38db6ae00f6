import { describe, expect, it } from 'vitest'
import type { SignalData } from '../../../../../shared/protocol/signal'
import { DEFAULT_RELAY_RATE, createTestHub } from './fake-peers'

const offer: SignalData = { description: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } }
const answer: SignalData = { description: { type: 'answer', sdp: 'v=0\r\n' } }
const candidate: SignalData = { candidate: { candidate: 'candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host', sdpMid: '0', sdpMLineIndex: 0 } }

describe('signaling hub: sessions', () => {
  it('introduces a visitor to the host and tells both the session and its relay rate', async () => {
    const { host, connect } = createTestHub()
    const server = await host('blog')
    const visitor = connect()
    await visitor.say({ type: 'visit', site: 'blog' })
    const [visiting] = visitor.take()
    expect(visiting).toEqual({ type: 'visiting', session: expect.stringMatching(/^[\w-]{16}$/), site: 'blog', iceServers: [{ urls: 'stun:stun.example.org' }], relay: DEFAULT_RELAY_RATE })
    expect(server.take()).toEqual([{ type: 'visitor', session: visiting?.type === 'visiting' && visiting.session, relay: DEFAULT_RELAY_RATE }])
  })

  it('answers no-host at once when no host is online', async () => {
    const { connect } = createTestHub()
    const visitor = connect()
    await visitor.say({ type: 'visit', site: 'blog' })
    expect(visitor.take()).toEqual([{ type: 'error', code: 'no-host', message: 'no host is online for blog' }])
  })

  it('never introduces a host to itself', async () => {
    const { host } = createTestHub()
    const server = await host('blog')
    await server.say({ type: 'visit', site: 'blog' })
    expect(server.take()).toEqual([{ type: 'error', code: 'no-host', message: 'no host is online for blog' }])
  })

  it('relays SDP and ICE both ways, unchanged', async () => {
    const { host, visit } = createTestHub()
    const server = await host('blog')
    const visitor = await visit('blog')
    server.take()
    await visitor.say({ type: 'signal', session: visitor.session, data: offer })
    await visitor.say({ type: 'signal', session: visitor.session, data: candidate })
    await server.say({ type: 'signal', session: visitor.session, data: answer })
    await server.say({ type: 'signal', session: visitor.session, data: { candidate: null } })
    expect(server.take()).toEqual([
      { type: 'signal', session: visitor.session, data: offer },
      { type: 'signal', session: visitor.session, data: candidate },
    ])
    expect(visitor.take()).toEqual([
      { type: 'signal', session: visitor.session, data: answer },
      { type: 'signal', session: visitor.session, data: { candidate: null } },
    ])
  })

  it('picks the live host with the fewest sessions', async () => {
    const { host, visit, hub } = createTestHub()
    const first = await host('blog')
    const second = await host('blog', first.token)
    const third = await host('blog', first.token)
    const sessions = []
    for (let i = 0; i < 6; i++) sessions.push(await visit('blog'))
    const counts = () => [first, second, third].map(peer => peer.received.filter(message => message.type === 'visitor').length)
    expect(counts()).toEqual([2, 2, 2])
    // Two of the first host's visitors leave: it is now the least busy.
    const firstSessions = first.received.flatMap(message => (message.type === 'visitor' ? [message.session] : []))
    for (const visitor of sessions.filter(peer => firstSessions.includes(peer.session))) hub.disconnect(visitor.id)
    await visit('blog')
    expect(counts()).toEqual([3, 2, 2])
    // Live load is now 1 / 2 / 2; the second host leaves: the first gets the next
    // visitor (1 < 2), then wins the 2 / 2 tie as the earliest host.
    hub.disconnect(second.id)
    await visit('blog')
    await visit('blog')
    expect(counts()).toEqual([5, 2, 2])
    await visit('blog')
    expect(counts()).toEqual([5, 2, 3])
  })

  it('tells visitors when their host leaves, and only them', async () => {
    const { host, visit, hub } = createTestHub()
    const server = await host('blog')
    const other = await host('wiki')
    const a = await visit('blog')
    const b = await visit('blog')
    const c = await visit('wiki')
    hub.disconnect(server.id)
    expect(a.take()).toEqual([{ type: 'session-closed', session: a.session, reason: 'host-left' }])
    expect(b.take()).toEqual([{ type: 'session-closed', session: b.session, reason: 'host-left' }])
    expect(c.take()).toEqual([])
    expect(other.take().map(message => message.type)).toEqual(['visitor'])
    expect(hub.stats()).toEqual({ peers: 4, sessions: 1 })
  })

  it('tells the host when a visitor disconnects', async () => {
    const { host, visit, hub } = createTestHub()
    const server = await host('blog')
    const visitor = await visit('blog')
    server.take()
    hub.disconnect(visitor.id)
    expect(server.take()).toEqual([{ type: 'session-closed', session: visitor.session, reason: 'visitor-left' }])
    expect(hub.stats().sessions).toBe(0)
  })

  it.each(['visitor', 'host'] as const)('ends a session when the %s leaves it', async (leaver) => {
    const { host, visit } = createTestHub()
    const server = await host('blog')
    const visitor = await visit('blog')
    server.take()
    const [from, to] = leaver === 'visitor' ? [visitor, server] : [server, visitor]
    await from.say({ type: 'leave', session: visitor.session })
    expect(to.take()).toEqual([{ type: 'session-closed', session: visitor.session, reason: `${leaver}-left` }])
    await to.say({ type: 'signal', session: visitor.session, data: offer })
    expect(to.take()[0]).toMatchObject({ type: 'error', code: 'not-your-session' })
    expect(from.take()).toEqual([])
  })

  it('lets one connection visit several times and host while visiting elsewhere', async () => {
    const { host, connect } = createTestHub()
    const blog = await host('blog')
    const wiki = await host('wiki')
    await wiki.say({ type: 'visit', site: 'blog' })
    await wiki.say({ type: 'visit', site: 'blog' })
    expect(wiki.take().map(message => message.type)).toEqual(['visiting', 'visiting'])
    expect(blog.take().map(message => message.type)).toEqual(['visitor', 'visitor'])
    const visitor = connect()
    await visitor.say({ type: 'visit', site: 'wiki' })
    expect(visitor.take()[0]?.type).toBe('visiting')
  })
})
