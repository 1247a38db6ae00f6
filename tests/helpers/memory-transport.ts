import type { Transport } from '../../lib/tunnel/transport'

/** Options of an in-memory transport pair. */
export interface MemoryTransportOptions {
  /** Delivery delay of each message in ms (0: next macrotask). */
  latencyMs?: number
  /** Refuse messages larger than this, as a data channel would. */
  maxMessageBytes?: number
  /** Drain fires when the queued bytes fall to this. */
  lowWater?: number
}

interface End extends Transport {
  deliver(data: Uint8Array): void
  shut(reason: string): void
  /** Total bytes this end has sent. */
  sentBytes: number
  /** Largest bufferedAmount seen. */
  peakBuffered: number
}

function makeEnd(options: MemoryTransportOptions, peer: () => End): End {
  const messageListeners = new Set<(data: Uint8Array) => void>()
  const drainListeners = new Set<() => void>()
  const closeListeners = new Set<(reason: string) => void>()
  let buffered = 0
  let closed = false
  const end: End = {
    sentBytes: 0,
    peakBuffered: 0,
    get bufferedAmount() {
      return buffered
    },
    send(data) {
      if (closed) throw new Error('transport closed')
      if (options.maxMessageBytes && data.byteLength > options.maxMessageBytes) throw new Error(`message of ${data.byteLength} bytes over the limit`)
      const copy = data.slice()
      buffered += copy.byteLength
      end.sentBytes += copy.byteLength
      end.peakBuffered = Math.max(end.peakBuffered, buffered)
      setTimeout(() => {
        const before = buffered
        buffered -= copy.byteLength
        if (!closed) peer().deliver(copy)
        const low = options.lowWater ?? 0
        if (before > low && buffered <= low) for (const listener of drainListeners) listener()
      }, options.latencyMs ?? 0)
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
      if (!closed) for (const listener of messageListeners) listener(data)
    },
    shut(reason) {
      if (closed) return
      closed = true
      for (const listener of closeListeners) listener(reason)
    },
  }
  return end
}

/** Two connected in-memory transports, for testing the tunnel without a browser. */
export function createMemoryTransportPair(options: MemoryTransportOptions = {}): [End, End] {
  const a: End = makeEnd(options, () => b)
  const b: End = makeEnd(options, () => a)
  return [a, b]
}
