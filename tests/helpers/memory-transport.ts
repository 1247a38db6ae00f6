import type { Transport } from '../../lib/tunnel/transport'

/** Options of an in-memory transport pair. */
export interface MemoryTransportOptions {
  /** Delivery delay of each message in ms (default 0: a later macrotask). */
  latencyMs?: number
  /** Link speed in bytes per ms; messages queue behind each other (default: unlimited). */
  bytesPerMs?: number
  /** `send` throws for a message longer than this, as a data channel does. */
  maxMessageBytes?: number
  /** Drain fires when the queued bytes fall to this or below (default 0). */
  lowWater?: number
}

/** One end of an in-memory pair, with counters for tests. */
export interface MemoryTransport extends Transport {
  /** Bytes and messages this end has sent. */
  readonly stats: { sentBytes: number, sentMessages: number, peakBuffered: number }
  /** Whether this end is closed. */
  readonly closed: boolean
}

interface End extends MemoryTransport {
  deliver(data: Uint8Array): void
  shut(reason: string): void
}

function makeEnd(options: MemoryTransportOptions, peer: () => End): End {
  const messageListeners = new Set<(data: Uint8Array) => void>()
  const drainListeners = new Set<() => void>()
  const closeListeners = new Set<(reason: string) => void>()
  const stats = { sentBytes: 0, sentMessages: 0, peakBuffered: 0 }
  let buffered = 0
  let closed = false
  let linkFreeAt = 0
  const delivered = (size: number) => {
    const before = buffered
    buffered -= size
    const low = options.lowWater ?? 0
    if (!closed && before > low && buffered <= low) for (const listener of [...drainListeners]) listener()
  }
  // One message a macrotask, strictly in order, like a data channel's message events.
  const inflight: Array<{ data: Uint8Array, due: number }> = []
  let scheduled = false
  const pump = () => {
    scheduled = false
    const next = inflight.shift()
    if (!next) return
    if (!closed) peer().deliver(next.data)
    delivered(next.data.byteLength)
    schedule()
  }
  const schedule = () => {
    const next = inflight[0]
    if (scheduled || !next) return
    scheduled = true
    const wait = next.due - performance.now()
    if (wait > 0) setTimeout(pump, wait)
    else setImmediate(pump)
  }
  const dueOf = (size: number) => {
    const now = performance.now()
    if (!options.bytesPerMs) return now + (options.latencyMs ?? 0)
    linkFreeAt = Math.max(linkFreeAt, now) + size / options.bytesPerMs
    return linkFreeAt + (options.latencyMs ?? 0)
  }
  const end: End = {
    stats,
    get closed() {
      return closed
    },
    get bufferedAmount() {
      return buffered
    },
    send(data) {
      if (closed) throw new Error('the transport is closed')
      if (options.maxMessageBytes && data.byteLength > options.maxMessageBytes) throw new Error(`a message of ${data.byteLength} bytes is over the limit`)
      const copy = data.slice() // what a network does: the receiver never shares the sender's memory
      buffered += copy.byteLength
      stats.sentBytes += copy.byteLength
      stats.sentMessages++
      stats.peakBuffered = Math.max(stats.peakBuffered, buffered)
      inflight.push({ data: copy, due: dueOf(copy.byteLength) })
      schedule()
    },
    onMessage(listener) {
      messageListeners.add(listener)
      return () => messageListeners.delete(listener)
    },
    onDrain(listener) {
      drainListeners.add(listener)
      return () => drainListeners.delete(listener)
    },
    onClose(listener) {
      closeListeners.add(listener)
      return () => closeListeners.delete(listener)
    },
    close() {
      end.shut('closed locally')
      peer().shut('closed by the peer')
    },
    deliver(data) {
      if (!closed) for (const listener of [...messageListeners]) listener(data)
    },
    shut(reason) {
      if (closed) return
      closed = true
      for (const listener of [...closeListeners]) listener(reason)
    },
  }
  return end
}

/**
 * Two connected in-memory transports, for testing the tunnel without a
 * browser: messages arrive in order, a macrotask (or `latencyMs`) later;
 * `bufferedAmount` rises on send and falls on delivery, firing drain at
 * `lowWater`; `close()` on either end closes both.
 */
export function createMemoryTransportPair(options: MemoryTransportOptions = {}): [MemoryTransport, MemoryTransport] {
  const a: End = makeEnd(options, () => b)
  const b: End = makeEnd(options, () => a)
  return [a, b]
}
