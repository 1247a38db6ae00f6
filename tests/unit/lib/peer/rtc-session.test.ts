import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { acceptVisitor, connectToHost, GATHER_QUIET_MS, HostRefusedError, MAX_REMOTE_CANDIDATES } from '../../../../lib/peer/rtc-session'
import { SignalingClient } from '../../../../lib/peer/signaling-client'
import { FakePeerConnection, FakeSignalSocket } from '../../../helpers/fake-rtc'
import type { ServerMessage } from '../../../../shared/protocol/signal'

const SESSION = 'visitor-00000001'

beforeEach(() => {
  FakePeerConnection.reset()
  vi.stubGlobal('WebSocket', FakeSignalSocket)
  vi.stubGlobal('RTCPeerConnection', FakePeerConnection)
})
afterEach(() => {
  vi.unstubAllGlobals()
})

describe('connectToHost: a host that refuses', () => {
  it.each([
    ['busy', /as many visitors connecting at once/],
    ['timeout', /did not complete in time/],
  ] as const)('%s: rejects at once with HostRefusedError, saying why, and closes its peer connection', async (reason, text) => {
    const signaling = await SignalingClient.open('ws://signal.invalid/_ps/signal')
    const pending = connectToHost(signaling, SESSION, [], 60_000)
    const socket = FakeSignalSocket.last!
    await vi.waitFor(() => expect(socket.sent.some(m => m.type === 'signal')).toBe(true))
    socket.deliver({ type: 'signal', session: SESSION, data: { refused: reason } })
    const error: unknown = await pending.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HostRefusedError)
    expect(error).toMatchObject({ reason, message: expect.stringMatching(text) })
    const pc = FakePeerConnection.all[0]!
    expect(pc.closed).toBe(true)
    expect(pc.listeners + pc.channels[0]!.listeners).toBe(0)
  })

  it('a refusal for another session changes nothing; the channel opening resolves', async () => {
    const signaling = await SignalingClient.open('ws://signal.invalid/_ps/signal')
    const pending = connectToHost(signaling, SESSION, [], 60_000)
    const socket = FakeSignalSocket.last!
    socket.deliver({ type: 'signal', session: 'visitor-00000002', data: { refused: 'busy' } })
    await vi.waitFor(() => expect(socket.sent.some(m => m.type === 'signal')).toBe(true))
    const channel = FakePeerConnection.all[0]!.channels[0]!
    channel.readyState = 'open'
    channel.dispatchEvent(new Event('open'))
    await expect(pending).resolves.toMatchObject({ channel })
  })
})

describe('descriptions carry the candidates gathered before them (DEFAULT_GATHER_WAIT_MS, GATHER_QUIET_MS)', () => {
  const UDP = ['candidate:1 1 udp 2122194687 127.0.0.1 40963 typ host', 'candidate:3 1 udp 2122267903 ::1 35169 typ host']
  const TCP = 'candidate:2 1 tcp 1518214911 127.0.0.1 55875 typ host tcptype passive'
  const signalsOf = (socket: FakeSignalSocket) => socket.sent.flatMap(m => (m.type === 'signal' ? [m.data] : []))
  const sdpOf = (data: unknown) => (data && typeof data === 'object' && 'description' in data ? (data.description as { sdp: string }).sdp : '')
  // The waits run on fake timers: a loaded machine's late timer must not end a quiet period early.
  const sleep = (ms: number) => vi.advanceTimersByTimeAsync(ms)
  afterEach(() => {
    vi.useRealTimers()
  })

  /** A visitor connecting, gathering by hand: its peer connection once gathering has begun. */
  async function offering(gatherWaitMs: number) {
    FakePeerConnection.gatherByHand = true
    const signaling = await SignalingClient.open('ws://signal.invalid/_ps/signal')
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    void connectToHost(signaling, SESSION, [], 60_000, gatherWaitMs).catch(() => {})
    // The offer is made and set in microtasks (vi.waitFor would move the fake clock).
    for (let i = 0; i < 100 && FakePeerConnection.all[0]?.iceGatheringState !== 'gathering'; i++) await Promise.resolve()
    const pc = FakePeerConnection.all[0]!
    expect(pc.iceGatheringState).toBe('gathering')
    return { pc, socket: FakeSignalSocket.last! }
  }

  it('the offer goes GATHER_QUIET_MS after a burst of candidates, with them inside; a later step\'s candidates follow on their own', async () => {
    const { pc, socket } = await offering(60_000)
    for (const candidate of UDP) pc.gather(candidate)
    await sleep(GATHER_QUIET_MS - 1)
    expect(signalsOf(socket)).toEqual([])
    await sleep(1)
    expect(signalsOf(socket)).toHaveLength(1)
    const [offer] = signalsOf(socket)
    expect(offer).toMatchObject({ description: { type: 'offer' } })
    for (const candidate of UDP) expect(sdpOf(offer)).toContain(`a=${candidate}`)
    pc.gather(TCP)
    pc.gather(null)
    expect(signalsOf(socket).slice(1)).toEqual([{ candidate: { candidate: TCP, sdpMid: '0', sdpMLineIndex: 0 } }, { candidate: null }])
  })

  it('a candidate within GATHER_QUIET_MS of the last keeps it waiting; gathering complete sends at once', async () => {
    const { pc, socket } = await offering(60_000)
    pc.gather(UDP[0]!)
    await sleep(GATHER_QUIET_MS - 1)
    pc.gather(UDP[1]!)
    await sleep(GATHER_QUIET_MS - 1)
    pc.gather(TCP)
    expect(signalsOf(socket)).toEqual([])
    pc.gather(null)
    await sleep(0)
    expect(signalsOf(socket)).toHaveLength(1)
    for (const candidate of [...UDP, TCP]) expect(sdpOf(signalsOf(socket)[0])).toContain(`a=${candidate}`)
  })

  it('waits at most its gather wait when no candidate comes (a STUN server that does not answer); what comes later follows', async () => {
    const { pc, socket } = await offering(60)
    await sleep(59)
    expect(signalsOf(socket)).toEqual([])
    await sleep(1)
    expect(signalsOf(socket)).toHaveLength(1)
    expect(sdpOf(signalsOf(socket)[0])).toBe('v=0')
    pc.gather(UDP[0]!)
    expect(signalsOf(socket)[1]).toEqual({ candidate: { candidate: UDP[0], sdpMid: '0', sdpMLineIndex: 0 } })
  })

  it('the host\'s answer likewise: it waits for its candidates and sends them inside', async () => {
    FakePeerConnection.gatherByHand = true
    const signaling = await SignalingClient.open('ws://signal.invalid/_ps/signal')
    const socket = FakeSignalSocket.last!
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const accepted = acceptVisitor(signaling, SESSION, [], { onChannel: () => {}, gatherWaitMs: 60_000 })
    socket.deliver({ type: 'signal', session: SESSION, data: { description: { type: 'offer', sdp: 'v=0' } } })
    const pc = accepted.pc as unknown as FakePeerConnection
    for (let i = 0; i < 100 && pc.iceGatheringState !== 'gathering'; i++) await Promise.resolve()
    expect(pc.iceGatheringState).toBe('gathering')
    pc.gather(UDP[0]!)
    await sleep(GATHER_QUIET_MS - 1)
    expect(signalsOf(socket)).toEqual([])
    await sleep(1)
    expect(signalsOf(socket)[0]).toEqual({ description: { type: 'answer', sdp: `v=0\r\na=${UDP[0]}` } })
    accepted.close()
    expect(pc.listeners).toBe(0)
  })
})

describe('a hostile visitor\'s signals (MAX_REMOTE_CANDIDATES)', () => {
  const candidate = (i: number) => ({ candidate: `candidate:${i} 1 udp 2122194687 127.0.0.1 ${10_000 + i} typ host`, sdpMid: '0', sdpMLineIndex: 0 })
  let warn: MockInstance<typeof console.warn>
  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
  })
  afterEach(() => {
    warn.mockRestore()
  })

  /** A host accepting SESSION: its fake peer connection, and how the visitor's signals reach it. */
  async function hosting() {
    const signaling = await SignalingClient.open('ws://signal.invalid/_ps/signal')
    const socket = FakeSignalSocket.last!
    const accepted = acceptVisitor(signaling, SESSION, [], { onChannel: () => {} })
    const signal = (data: Extract<ServerMessage, { type: 'signal' }>['data']) => socket.deliver({ type: 'signal', session: SESSION, data })
    return { accepted, pc: accepted.pc as unknown as FakePeerConnection, signal }
  }

  it.each([
    ['after its offer', true],
    ['before its offer (queued)', false],
  ])('%s: the host applies its first MAX_REMOTE_CANDIDATES candidates and drops the rest, warning once', async (_name, offerFirst) => {
    const { accepted, pc, signal } = await hosting()
    const offer = () => signal({ description: { type: 'offer', sdp: 'v=0' } })
    if (offerFirst) offer()
    await vi.waitFor(() => expect(pc.remoteDescriptions.length).toBe(offerFirst ? 1 : 0))
    for (let i = 0; i < MAX_REMOTE_CANDIDATES + 500; i++) signal({ candidate: candidate(i) })
    if (!offerFirst) offer()
    await vi.waitFor(() => expect(pc.added).toHaveLength(MAX_REMOTE_CANDIDATES))
    await new Promise(resolve => setTimeout(resolve, 10))
    expect(pc.added).toHaveLength(MAX_REMOTE_CANDIDATES)
    expect(pc.added.at(-1)).toEqual(candidate(MAX_REMOTE_CANDIDATES - 1))
    expect(warn.mock.calls.filter(call => String(call[0]).includes(`more than ${MAX_REMOTE_CANDIDATES} candidates`))).toHaveLength(1)
    accepted.close()
  })

  it('a second description is ignored: the session never renegotiates', async () => {
    const { accepted, pc, signal } = await hosting()
    for (let i = 0; i < 20; i++) signal({ description: { type: 'offer', sdp: `v=0\r\na=x-${i}` } })
    await vi.waitFor(() => expect(pc.remoteDescriptions).toHaveLength(1))
    await new Promise(resolve => setTimeout(resolve, 10))
    expect(pc.remoteDescriptions).toEqual([{ type: 'offer', sdp: 'v=0\r\na=x-0' }])
    accepted.close()
  })
})
