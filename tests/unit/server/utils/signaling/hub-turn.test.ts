import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { ServerMessage, SignalData } from '../../../../../shared/protocol/signal'
import type { TurnConfig } from '../../../../../server/utils/signaling/turn'
import { DEFAULT_RELAY_RATE, createTestHub, type FakePeer } from './fake-peers'

const SECRET = 'a-coturn-static-auth-secret'
const turn: TurnConfig = { urls: ['turn:127.0.0.1:3478?transport=udp', 'turn:127.0.0.1:3478?transport=tcp'], secret: SECRET, ttlSeconds: 1200 }
const NOW = 1_767_000_000_000
const STUN = { urls: 'stun:stun.example.org' }
const offer: SignalData = { description: { type: 'offer', sdp: 'v=0\r\n' } }

/** The ICE servers of a `visiting` or `visitor` message. */
const iceOf = (message: ServerMessage | undefined) => (message?.type === 'visiting' || message?.type === 'visitor' ? message.iceServers : undefined)

describe('signaling hub: TURN credentials', () => {
  it('gives host and visitor of one session the same fresh credential, after the configured STUN', async () => {
    const { host, connect } = createTestHub({ turn, now: () => NOW })
    const server = await host('blog')
    const visitor = connect()
    await visitor.say({ type: 'visit', site: 'blog' })
    const [visiting] = visitor.take()
    const [arrived] = server.take()
    const servers = iceOf(visiting)
    expect(servers).toEqual([STUN, { urls: turn.urls, username: expect.stringMatching(/^\d+:[\w-]{16}$/), credential: expect.any(String) }])
    expect(iceOf(arrived)).toEqual(servers)
    expect(arrived).toMatchObject({ type: 'visitor', session: visiting?.type === 'visiting' ? visiting.session : '' })
    const entry = servers?.[1]
    const username = entry?.username ?? ''
    expect(Number(username.split(':')[0])).toBe(NOW / 1000 + turn.ttlSeconds)
    expect(entry?.credential).toBe(createHmac('sha1', SECRET).update(username).digest('base64'))
  })

  it('mints a different credential for each session, naming neither the session nor the visitor', async () => {
    const { host, visit } = createTestHub({ turn, now: () => NOW })
    const server = await host('blog')
    const visitors = [await visit('blog'), await visit('blog')]
    const usernames = server.take().map(message => iceOf(message)?.[1]?.username)
    expect(new Set(usernames).size).toBe(2)
    for (const [i, visitor] of visitors.entries()) {
      expect(usernames[i]).not.toContain(visitor.session)
      expect(usernames[i]).not.toContain(visitor.id)
    }
  })

  it('never sends the secret to any peer', async () => {
    const { host, visit, connect } = createTestHub({ turn, now: () => NOW })
    const peers: FakePeer[] = [await host('blog'), await host('wiki')]
    for (let i = 0; i < 4; i++) peers.push(await visit(i % 2 ? 'blog' : 'wiki'))
    const visitor = peers[2] as FakePeer & { session: string }
    await visitor.say({ type: 'signal', session: visitor.session, data: offer })
    const stranger = connect()
    peers.push(stranger)
    await stranger.say({ type: 'visit', site: 'nobody-hosts-this' })
    await stranger.say('{"type":"visit"')
    await stranger.say({ type: 'ping' })
    const everything = JSON.stringify(peers.map(peer => peer.received)) + peers.flatMap(peer => peer.binary.map(bytes => Buffer.from(bytes).toString('latin1'))).join('')
    expect(everything).toContain('turn:127.0.0.1:3478')
    expect(everything).not.toContain(SECRET)
  })

  it('without TURN, sends no TURN entry (and no iceServers to the host)', async () => {
    const { host, visit } = createTestHub({ now: () => NOW })
    const server = await host('blog')
    const visitor = await visit('blog')
    expect(visitor.received).toEqual([{ type: 'visiting', session: visitor.session, site: 'blog', iceServers: [STUN], relay: DEFAULT_RELAY_RATE }])
    expect(server.take()).toEqual([{ type: 'visitor', session: visitor.session, relay: DEFAULT_RELAY_RATE }])
  })
})
