import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startHosting, type HostOptions, type HostSession } from '../../../../lib/host/host-session'
import { DEFAULT_MAX_PENDING_PEERS, DEFAULT_PENDING_PEER_DEADLINE_MS } from '../../../../lib/host/visitor-peers'
import { DEFAULT_MAX_PEER_CHANNELS } from '../../../../lib/peer/rtc-session'
import { SignalingClient } from '../../../../lib/peer/signaling-client'
import { encodeFrame, FrameType } from '../../../../shared/protocol/frames'
import { FakePeerConnection, FakeSignalSocket } from '../../../helpers/fake-rtc'

// The real host session, its peer connections and tunnel servers, over a
// fake signaling socket and fake RTCPeerConnections: the test is the server
// and the visitors.

/** Session ids as the server mints them: 16 base64url characters. */
const sessionId = (i: number) => `visitor-${String(i).padStart(8, '0')}`

let liveSignalListeners = 0
beforeEach(() => {
  FakePeerConnection.reset()
  vi.stubGlobal('WebSocket', FakeSignalSocket)
  vi.stubGlobal('RTCPeerConnection', FakePeerConnection)
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  // Count the signaling subscriptions alive: every session's must go when it does.
  const subscribe = SignalingClient.prototype.onMessage
  liveSignalListeners = 0
  vi.spyOn(SignalingClient.prototype, 'onMessage').mockImplementation(function (this: SignalingClient, listener) {
    liveSignalListeners++
    const off = subscribe.call(this, listener)
    let active = true
    return () => {
      if (active) liveSignalListeners--
      active = false
      off()
    }
  })
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

async function host(options: Partial<HostOptions> = {}) {
  const session = await startHosting({ site: 'class-site', signalUrl: 'ws://signal.invalid/_ps/signal', iceServers: [], handle: async () => ({ status: 200, headers: [], body: null }), ...options })
  const socket = FakeSignalSocket.last!
  const sentTo = (visitor: string) => socket.sent.filter(m => (m.type === 'signal' || m.type === 'leave') && m.session === visitor)
  return { session, socket, sentTo, arrive: (visitor: string) => socket.deliver({ type: 'visitor', session: visitor }) }
}

/** What a refused visitor's session gets: `signal` with the reason, then `leave`. */
const refusal = (session: string, refused: 'busy' | 'timeout') => [{ type: 'signal', session, data: { refused } }, { type: 'leave', session }]

describe('host session: pending peer connections', () => {
  let hosting: HostSession | undefined
  afterEach(() => hosting?.stop())

  it.each([
    ['the default', undefined, DEFAULT_MAX_PENDING_PEERS],
    ['a configured 3', 3, 3],
  ])('%s: the limit\'s visitors get a peer connection each, one more is refused (busy) until one connects', async (_name, maxPendingPeers, limit) => {
    const { session, sentTo, arrive } = await host({ peers: { maxPendingPeers } })
    hosting = session
    for (let i = 0; i < limit; i++) arrive(sessionId(i))
    expect(FakePeerConnection.all).toHaveLength(limit)
    expect(session.visitors()).toHaveLength(limit)
    expect(sentTo(sessionId(0))).toEqual([])
    arrive(sessionId(limit))
    expect(FakePeerConnection.all).toHaveLength(limit)
    expect(session.visitors()).not.toContain(sessionId(limit))
    expect(sentTo(sessionId(limit))).toEqual(refusal(sessionId(limit), 'busy'))
    // One connects: its place is free for the next.
    FakePeerConnection.all[0]!.openChannel()
    arrive(sessionId(limit + 1))
    expect(FakePeerConnection.all).toHaveLength(limit + 1)
    expect(sentTo(sessionId(limit + 1))).toEqual([])
  })

  it('one peer connection per session: the same session arriving again builds none', async () => {
    const { session, arrive } = await host()
    hosting = session
    arrive(sessionId(1))
    arrive(sessionId(1))
    expect(FakePeerConnection.all).toHaveLength(1)
  })

  it('an unconnected one is closed at its deadline (timeout); a connected one stays', async () => {
    const { session, sentTo, arrive } = await host()
    vi.useFakeTimers()
    hosting = session
    arrive(sessionId(1))
    arrive(sessionId(2))
    const [waiting, connecting] = FakePeerConnection.all
    connecting!.openChannel()
    vi.advanceTimersByTime(DEFAULT_PENDING_PEER_DEADLINE_MS - 1)
    expect(waiting!.closed).toBe(false)
    vi.advanceTimersByTime(1)
    expect(waiting!.closed).toBe(true)
    expect(sentTo(sessionId(1))).toEqual(refusal(sessionId(1), 'timeout'))
    expect(session.visitors()).toEqual([sessionId(2)])
    expect(connecting!.closed).toBe(false)
  })

  it('a configured deadline, and a visitor that connects through the relay is not pending', async () => {
    const { session, socket, sentTo, arrive } = await host({ peers: { pendingDeadlineMs: 1000 } })
    vi.useFakeTimers()
    hosting = session
    arrive(sessionId(1))
    socket.relay(sessionId(1), encodeFrame({ type: FrameType.WINDOW, stream: 1, credit: 1 }))
    // ICE fails on the host's side too: the relayed visitor stays.
    FakePeerConnection.all[0]!.fail()
    vi.advanceTimersByTime(1000)
    expect(session.visitors()).toEqual([sessionId(1)])
    expect(sentTo(sessionId(1))).toEqual([])
    arrive(sessionId(2))
    vi.advanceTimersByTime(999)
    expect(session.visitors()).toHaveLength(2)
    vi.advanceTimersByTime(1)
    expect(session.visitors()).toEqual([sessionId(1)])
  })

  it('1,000 visitors that arrive and go (leave, time out, connect and close, fail) leave no peer connection, listener or timer behind', async () => {
    const { session, socket, arrive } = await host({ peers: { pendingDeadlineMs: 50 } })
    vi.useFakeTimers()
    hosting = session
    const baseListeners = liveSignalListeners
    const baseTimers = vi.getTimerCount()
    for (let i = 0; i < 1000; i++) {
      const id = sessionId(i)
      arrive(id)
      const pc = FakePeerConnection.all[i]!
      switch (i % 4) {
        case 0:
          socket.deliver({ type: 'session-closed', session: id, reason: 'visitor-left' })
          await Promise.resolve()
          break
        case 1:
          vi.advanceTimersByTime(50)
          break
        case 2:
          pc.openChannel().close()
          break
        default:
          pc.fail()
      }
    }
    expect(session.visitors()).toEqual([])
    expect(FakePeerConnection.all.filter(pc => !pc.closed)).toEqual([])
    expect(FakePeerConnection.all.map(pc => pc.listeners + pc.channels.reduce((n, channel) => n + channel.listeners, 0))).toEqual(FakePeerConnection.all.map(() => 0))
    expect(liveSignalListeners).toBe(baseListeners)
    expect(vi.getTimerCount()).toBe(baseTimers)
  })
})

describe('host session: data channels of one peer connection', () => {
  let hosting: HostSession | undefined
  afterEach(() => hosting?.stop())

  /** A channel the host serves has the tunnel's listeners; one it refused is closed. */
  const served = (channel: { listeners: number, readyState: string }) => channel.readyState === 'open' && channel.listeners > 0

  it.each([
    ['the default', undefined, DEFAULT_MAX_PEER_CHANNELS],
    ['a configured 2', 2, 2],
  ])('%s: the limit\'s channels stay open, one more is closed at once', async (_name, maxChannelsPerPeer, limit) => {
    const { session, arrive } = await host({ peers: { maxChannelsPerPeer } })
    hosting = session
    arrive(sessionId(1))
    const pc = FakePeerConnection.all[0]!
    const tunnel = pc.openChannel('tunnel')
    const others = Array.from({ length: limit - 1 }, (_, i) => pc.openChannel(`bench-${i}`))
    expect(served(tunnel)).toBe(true)
    expect(others.map(channel => channel.readyState)).toEqual(others.map(() => 'open'))
    const extra = pc.openChannel('bench-extra')
    expect(extra.readyState).toBe('closed')
    expect(session.visitors()).toEqual([sessionId(1)])
  })

  it('only the first tunnel channel is served: a second gets no tunnel server of its own', async () => {
    const { session, arrive } = await host()
    hosting = session
    arrive(sessionId(1))
    const pc = FakePeerConnection.all[0]!
    const first = pc.openChannel('tunnel')
    const second = pc.openChannel('tunnel')
    expect(served(first)).toBe(true)
    expect(second.readyState).toBe('closed')
    expect(second.listeners).toBe(0)
    expect(session.visitors()).toEqual([sessionId(1)])
  })
})

describe('host session: how each visitor reaches the tab', () => {
  let hosting: HostSession | undefined
  afterEach(() => hosting?.stop())

  it('says direct, via TURN or relayed for each visitor, from its selected ICE candidate pair or the relay', async () => {
    const seen: Array<Array<{ session: string, route: string | null }>> = []
    const { session, socket, arrive } = await host({ onVisitors: visitors => seen.push(visitors) })
    hosting = session
    const routeOf = (id: string) => seen.at(-1)?.find(visitor => visitor.session === id)?.route
    arrive(sessionId(1))
    arrive(sessionId(2))
    arrive(sessionId(3))
    expect(routeOf(sessionId(1))).toBeNull()
    const [direct, turn] = FakePeerConnection.all
    direct!.selectPair('host', 'srflx')
    turn!.selectPair('host', 'relay')
    direct!.openChannel()
    turn!.openChannel()
    socket.relay(sessionId(3), encodeFrame({ type: FrameType.WINDOW, stream: 1, credit: 1 }))
    await vi.waitFor(() => expect(routeOf(sessionId(2))).toBe('turn'))
    expect(routeOf(sessionId(1))).toBe('direct')
    expect(routeOf(sessionId(3))).toBe('relay')
  })
})
