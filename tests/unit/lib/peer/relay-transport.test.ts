import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RELAY_PACE_MARGIN, relayTransport, type RelaySignaling } from '../../../../lib/peer/relay-transport'
import { TunnelClient } from '../../../../lib/tunnel/client'
import { TunnelServer } from '../../../../lib/tunnel/server'
import type { Transport } from '../../../../lib/tunnel/transport'
import { TokenBucket } from '../../../../server/utils/limits/token-bucket'
import { encodeRelay, type ClientMessage, type RelayRate, type ServerMessage } from '../../../../shared/protocol/signal'
import { readAll, seededBytes, seededRandom, sha256 } from '../../../helpers/tunnel-pair'

// The relay transport over fake signaling connections whose "server" meters
// each sender with the server's own token bucket, on fake timers: a frame
// the bucket would refuse is counted (and answered relay-rate, as the hub
// does) instead of relayed.

const MiB = 1024 * 1024
const SESSION = 'AbCdEfGhIjKlMn_-'
const RATE: RelayRate = { bytesPerSecond: 2 * MiB, burstBytes: 16 * MiB }

/** One party's signaling connection, and the server's bucket for what it sends. */
class FakeSignaling implements RelaySignaling {
  bufferedAmount = 0
  peer: FakeSignaling | null = null
  readonly sent: ClientMessage[] = []
  /** Relay payloads the server let through, in order. */
  readonly relayed: Uint8Array[] = []
  /** Frames the server's bucket refused. */
  dropped = 0
  readonly messageListeners = new Set<(message: ServerMessage) => void>()
  readonly closeListeners = new Set<(reason: string) => void>()
  readonly relayListeners = new Set<(session: string, payload: Uint8Array) => void>()
  private readonly bucket: TokenBucket

  constructor(rate: RelayRate = RATE) {
    this.bucket = new TokenBucket(rate.bytesPerSecond, rate.burstBytes, performance.now())
  }

  send(message: ClientMessage): void {
    this.sent.push(message)
  }

  sendRelay(session: string, payload: Uint8Array): void {
    const frame = encodeRelay(session, payload)
    if (!this.bucket.take(performance.now(), frame.length)) {
      this.dropped++
      this.deliver({ type: 'error', code: 'relay-rate', message: 'dropped', session })
      return
    }
    this.relayed.push(payload.slice())
    const peer = this.peer
    // A later task, as over a socket.
    if (peer) setTimeout(() => peer.relayListeners.forEach(listener => listener(session, payload.slice())), 0)
  }

  onRelay(listener: (session: string, payload: Uint8Array) => void): () => void {
    this.relayListeners.add(listener)
    return () => this.relayListeners.delete(listener)
  }

  onMessage(listener: (message: ServerMessage) => void): () => void {
    this.messageListeners.add(listener)
    return () => this.messageListeners.delete(listener)
  }

  onClose(listener: (reason: string) => void): () => void {
    this.closeListeners.add(listener)
    return () => this.closeListeners.delete(listener)
  }

  deliver(message: ServerMessage): void {
    for (const listener of [...this.messageListeners]) listener(message)
  }

  get relayedBytes(): number {
    return this.relayed.reduce((sum, payload) => sum + payload.byteLength, 0)
  }
}

/** A visitor's and a host's signaling connection, relaying to each other. */
function fakePair(rate: RelayRate = RATE) {
  const visitor = new FakeSignaling(rate)
  const host = new FakeSignaling(rate)
  visitor.peer = host
  host.peer = visitor
  return { visitor, host }
}

/** Send `data` as a flow-controlled producer does (the tunnel's FrameSender): messages of `chunk`, never past `highWater` buffered, resuming on drain. */
async function produce(transport: Transport, data: Uint8Array, stats: { peak: number, drains: number }, highWater = 4 * MiB, chunk = 128 * 1024): Promise<void> {
  const off = transport.onDrain(() => stats.drains++)
  for (let offset = 0; offset < data.byteLength; offset += chunk) {
    while (transport.bufferedAmount > 0 && transport.bufferedAmount + chunk > highWater) {
      await new Promise<void>((resolve) => {
        const offDrain = transport.onDrain(() => {
          offDrain()
          resolve()
        })
      })
    }
    transport.send(data.subarray(offset, offset + chunk))
    stats.peak = Math.max(stats.peak, transport.bufferedAmount)
  }
  off()
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance', 'Date'] })
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('relay transport: pacing to the server\'s relay rate', () => {
  it('sends 20 MiB through a 2 MiB/s bucket of 16 MiB: none dropped, every byte in order, at the margin\'s pace, with backpressure', async () => {
    const { visitor, host } = fakePair()
    const sender = relayTransport(host, SESSION, RATE)
    const receiver = relayTransport(visitor, SESSION, RATE)
    const chunks: Uint8Array[] = []
    receiver.onMessage(payload => chunks.push(payload))
    const data = seededBytes(20 * MiB, seededRandom(7))
    const stats = { peak: 0, drains: 0 }
    const started = performance.now()
    const done = produce(sender, data, stats)
    let finished = false
    void done.then(() => (finished = true))
    while (!finished || sender.bufferedAmount > 0) await vi.advanceTimersByTimeAsync(100)
    await vi.advanceTimersByTimeAsync(10)
    expect(host.dropped).toBe(0)
    const received = new Uint8Array(await new Blob(chunks as BlobPart[]).arrayBuffer())
    expect(received.byteLength).toBe(data.byteLength)
    expect(sha256(received)).toBe(sha256(data))
    // The burst goes at once (90 % of it), the rest at 90 % of the rate.
    const frames = Math.ceil(data.byteLength / (64 * 1024 - 17))
    const charged = data.byteLength + frames * 17
    const paced = (charged - RELAY_PACE_MARGIN * RATE.burstBytes) / (RELAY_PACE_MARGIN * RATE.bytesPerSecond) * 1000
    expect(performance.now() - started).toBeGreaterThanOrEqual(paced - 1000)
    // The producer was held to its high-water mark, and resumed by drain events.
    expect(stats.peak).toBeLessThanOrEqual(4 * MiB)
    expect(stats.drains).toBeGreaterThan(0)
    expect(sender.bufferedAmount).toBe(0)
  })

  it('a 20 MiB download through the tunnel over the relay completes, nothing dropped either way', async () => {
    const { visitor, host } = fakePair()
    const body = seededBytes(20 * MiB, seededRandom(11))
    const server = new TunnelServer(relayTransport(host, SESSION, RATE), async () => ({ head: { status: 200, headers: [] }, body }))
    const client = new TunnelClient(relayTransport(visitor, SESSION, RATE))
    let result: Uint8Array | undefined
    let failure: unknown
    void client.request({ method: 'GET', url: '/big', headers: [] })
      .then(response => readAll(response.body))
      .then(bytes => (result = bytes), error => (failure = error))
    for (let elapsed = 0; result === undefined && failure === undefined && elapsed < 60_000; elapsed += 100) await vi.advanceTimersByTimeAsync(100)
    expect(failure).toBeUndefined()
    expect(result && sha256(result)).toBe(sha256(body))
    expect([host.dropped, visitor.dropped]).toEqual([0, 0])
    client.close()
    server.close()
  })

  it('sends at once what the burst allows, and holds the rest as bufferedAmount', () => {
    const rate = { bytesPerSecond: 10_000, burstBytes: 100_000 }
    const { host } = fakePair(rate)
    const transport = relayTransport(host, SESSION, rate)
    transport.send(new Uint8Array(50_000))
    expect(host.relayedBytes).toBe(50_000)
    transport.send(new Uint8Array(50_000))
    // 90 % of the burst: 40,000 of the second message fit (less its frames' headers), the rest waits.
    expect(host.relayedBytes).toBe(50_000)
    expect(transport.bufferedAmount).toBe(50_000)
    vi.advanceTimersByTime(5000)
    expect([host.relayedBytes, transport.bufferedAmount, host.dropped]).toEqual([100_000, 0, 0])
  })

  it('without a rate (an older server), sends everything at once, as before', () => {
    const { host } = fakePair({ bytesPerSecond: 1, burstBytes: 1e12 })
    const transport = relayTransport(host, SESSION)
    transport.send(new Uint8Array(5 * MiB))
    expect(host.relayedBytes).toBe(5 * MiB)
    expect(transport.bufferedAmount).toBe(0)
  })

  it('waits while the socket holds more than its low-water mark, and says drain once it empties', () => {
    const { host } = fakePair()
    const transport = relayTransport(host, SESSION, RATE)
    const drained = vi.fn()
    transport.onDrain(drained)
    host.bufferedAmount = 1 * MiB
    transport.send(new Uint8Array(64 * 1024))
    expect(host.relayedBytes).toBe(0)
    expect(transport.bufferedAmount).toBe(MiB + 64 * 1024)
    vi.advanceTimersByTime(100)
    expect([host.relayedBytes, drained.mock.calls.length]).toEqual([0, 0])
    host.bufferedAmount = 0
    vi.advanceTimersByTime(20)
    expect([host.relayedBytes, drained.mock.calls.length]).toEqual([64 * 1024, 1])
  })
})

describe('relay transport: a frame the server dropped anyway', () => {
  it('leaves the session and closes, saying why, on relay-rate for its session; not for another session\'s', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const { host } = fakePair()
    const transport = relayTransport(host, SESSION, RATE)
    const closed = vi.fn()
    transport.onClose(closed)
    host.deliver({ type: 'error', code: 'relay-rate', message: 'dropped', session: 'OtherSession0000' })
    expect(closed).not.toHaveBeenCalled()
    host.deliver({ type: 'error', code: 'relay-rate', message: 'at most 2097152 bytes a second', session: SESSION })
    expect(closed).toHaveBeenCalledWith(expect.stringMatching(/dropped a relay frame of session AbCdEfGhIjKlMn_- \(relay-rate: at most 2097152/))
    expect(host.sent).toEqual([{ type: 'leave', session: SESSION }])
    expect(error).toHaveBeenCalledWith(expect.stringContaining('[relay]'))
    expect(() => transport.send(new Uint8Array(1))).toThrow('closed')
  })

  it.each([
    ['relay-quota, named by its session', { type: 'error', code: 'relay-quota', message: 'spent', session: SESSION }],
    ['relay-rate from an older server, whose text names the session', { type: 'error', code: 'relay-rate', message: `session ${SESSION} relays at most 1 bytes a second` }],
  ] satisfies Array<[string, ServerMessage]>)('closes on %s', (_name, message) => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const { host } = fakePair()
    const transport = relayTransport(host, SESSION)
    const closed = vi.fn()
    transport.onClose(closed)
    host.deliver(message)
    expect(closed).toHaveBeenCalledOnce()
  })

  it('leaves no timer or listener behind when closed with frames waiting', () => {
    // No peer: the only timers are the transport's.
    const host = new FakeSignaling()
    const transport = relayTransport(host, SESSION, { bytesPerSecond: 1000, burstBytes: 100_000 })
    const offMessage = transport.onMessage(() => {})
    transport.send(new Uint8Array(200_000))
    expect(vi.getTimerCount()).toBeGreaterThan(0)
    const sent = host.relayedBytes
    expect(sent).toBeLessThan(100_000)
    transport.close()
    offMessage()
    expect(vi.getTimerCount()).toBe(0)
    expect([host.messageListeners.size, host.closeListeners.size, host.relayListeners.size]).toEqual([0, 0, 0])
    expect(transport.bufferedAmount).toBe(0)
    vi.advanceTimersByTime(200_000)
    expect(host.relayedBytes).toBe(sent)
  })
})
