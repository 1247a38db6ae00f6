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
  /** Bytes and messages this end has sent, and its largest `bufferedAmount`. */
  readonly stats: { sentBytes: number, sentMessages: number, peakBuffered: number }
  /** Whether this end is closed. */
  readonly closed: boolean
}

class MemoryEnd implements MemoryTransport {
  peer: MemoryEnd | null = null
  readonly stats = { sentBytes: 0, sentMessages: 0, peakBuffered: 0 }
  private readonly messageListeners = new Set<(data: Uint8Array) => void>()
  private readonly drainListeners = new Set<() => void>()
  private readonly closeListeners = new Set<(reason: string) => void>()
  private readonly inflight: Array<{ data: Uint8Array, due: number }> = []
  private buffered = 0
  private isClosed = false
  private closing = false
  private scheduled = false
  private linkFreeAt = 0

  constructor(private readonly options: MemoryTransportOptions) {}

  get bufferedAmount(): number {
    return this.buffered
  }

  get closed(): boolean {
    return this.isClosed
  }

  send(data: Uint8Array): void {
    if (this.isClosed) throw new Error('the transport is closed')
    const limit = this.options.maxMessageBytes
    if (limit && data.byteLength > limit) throw new Error(`a message of ${data.byteLength} bytes is over the limit`)
    const copy = data.slice() // what a network does: the receiver never shares the sender's memory
    this.buffered += copy.byteLength
    this.stats.sentBytes += copy.byteLength
    this.stats.sentMessages++
    this.stats.peakBuffered = Math.max(this.stats.peakBuffered, this.buffered)
    this.inflight.push({ data: copy, due: this.dueOf(copy.byteLength) })
    this.schedule()
  }

  onMessage(listener: (data: Uint8Array) => void): () => void {
    this.messageListeners.add(listener)
    return () => this.messageListeners.delete(listener)
  }

  onDrain(listener: () => void): () => void {
    this.drainListeners.add(listener)
    return () => this.drainListeners.delete(listener)
  }

  onClose(listener: (reason: string) => void): () => void {
    this.closeListeners.add(listener)
    return () => this.closeListeners.delete(listener)
  }

  close(): void {
    if (this.isClosed) return
    this.shut('closed locally')
    this.closing = true
    if (this.inflight.length === 0) this.peer?.shut('closed by the peer')
  }

  /** A message from the peer arrived. */
  deliver(data: Uint8Array): void {
    if (!this.isClosed) for (const listener of [...this.messageListeners]) listener(data)
  }

  shut(reason: string): void {
    if (this.isClosed) return
    this.isClosed = true
    for (const listener of [...this.closeListeners]) listener(reason)
  }

  private dueOf(size: number): number {
    const now = performance.now()
    const latency = this.options.latencyMs ?? 0
    if (!this.options.bytesPerMs) return now + latency
    this.linkFreeAt = Math.max(this.linkFreeAt, now) + size / this.options.bytesPerMs
    return this.linkFreeAt + latency
  }

  /** One message a macrotask, strictly in order, like a data channel's message events. */
  private schedule(): void {
    const next = this.inflight[0]
    if (this.scheduled || !next) return
    this.scheduled = true
    const wait = next.due - performance.now()
    if (wait > 0) setTimeout(() => this.pump(), wait)
    else setImmediate(() => this.pump())
  }

  private pump(): void {
    this.scheduled = false
    const next = this.inflight.shift()
    if (next) {
      this.peer?.deliver(next.data) // even after close(): a closing data channel still sends what was queued
      const before = this.buffered
      this.buffered -= next.data.byteLength
      const low = this.options.lowWater ?? 0
      if (!this.isClosed && before > low && this.buffered <= low) for (const listener of [...this.drainListeners]) listener()
    }
    if (this.inflight.length > 0) this.schedule()
    else if (this.closing) this.peer?.shut('closed by the peer')
  }
}

/**
 * Two connected in-memory transports, for testing the tunnel without a
 * browser: messages arrive in order, a macrotask (or `latencyMs`) later;
 * `bufferedAmount` rises on send and falls on delivery, firing drain at
 * `lowWater`. `close()` on either end closes it at once, and the other end
 * once the messages already sent have arrived, as a data channel does.
 */
export function createMemoryTransportPair(options: MemoryTransportOptions = {}): [MemoryTransport, MemoryTransport] {
  const a = new MemoryEnd(options)
  const b = new MemoryEnd(options)
  a.peer = b
  b.peer = a
  return [a, b]
}
