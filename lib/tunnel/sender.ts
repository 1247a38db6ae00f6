import { FRAME_HEADER_BYTES, FrameType, toWire, writeFrameHeader, type Frame, type WireFrame } from '../../shared/protocol/frames'
import { toError } from './errors'
import { DEFAULT_MAX_QUEUED_CONTROL_BYTES, DEFAULT_MAX_QUEUED_CONTROL_FRAMES } from './limits'
import type { Transport } from './transport'

/** Default ceiling of the transport's `bufferedAmount`. */
export const DEFAULT_HIGH_WATER = 4 * 1024 * 1024
/** Highest allowed ceiling: Chromium fails a data channel whose queue passes 16 MiB. */
export const MAX_HIGH_WATER = 8 * 1024 * 1024
/** Default largest transport message: two full DATA frames (Chromium's data channels take 256 KiB). */
export const DEFAULT_MAX_MESSAGE_BYTES = 2 * (64 * 1024 + FRAME_HEADER_BYTES)
/** While blocked, look at `bufferedAmount` this often too, in case no drain event comes. */
const RETRY_MS = 50

/** Options of a FrameSender. */
export interface FrameSenderOptions {
  /** Never let `transport.bufferedAmount` pass this (default 4 MiB, at most 8 MiB). */
  highWater?: number
  /** Largest message handed to the transport (default two full DATA frames); longer frames are split. */
  maxMessageBytes?: number
  /** The transport refused a message: the connection is broken. */
  onError?: (error: Error) => void
  /** Most frames other than DATA waiting here (default 4096); past it the queue is dropped and `onOverflow` called. */
  maxQueuedControlFrames?: number
  /** Most bytes of frames other than DATA waiting here (default 8 MiB), likewise. */
  maxQueuedControlBytes?: number
  /** The peer left too many control frames unread: the sender is closed, the connection should go. */
  onOverflow?: (reason: string) => void
}

const frameBytes = (wire: WireFrame) => FRAME_HEADER_BYTES + wire.payload.byteLength
// DATA waits for `writable()`; every other frame is queued at once, so only these can pile up.
const isControl = (wire: WireFrame) => wire.type !== FrameType.DATA

/**
 * Sends frames over a transport. Frames queued in the same tick are packed
 * into as few messages as fit (whole frames; only a frame longer than a
 * message is split), each payload copied once, into its message. Nothing is
 * handed to the transport that would take its `bufferedAmount` over the
 * high-water mark; the drain event resumes. Frames other than DATA (heads,
 * END, RESET, WINDOW) are queued without waiting, so a peer that floods
 * requests and never reads could grow the queue without end: past
 * `maxQueuedControlFrames` or `maxQueuedControlBytes` of them the sender
 * gives up (`onOverflow`).
 */
export class FrameSender {
  readonly highWater: number
  readonly maxMessageBytes: number
  private queue: WireFrame[] = []
  /** Bytes of `queue[0]` already sent, when it is split across messages. */
  private sentOfFirst = 0
  private queuedBytes = 0
  /**
   * At least the transport's `bufferedAmount`: what it was when last read,
   * plus what was sent since (only the network lowers it). Reading it is a
   * call into the WebRTC thread in some implementations (Node's wrtc blocks on
   * it), so it is read only when this bound says the next message might not fit.
   * Only for a transport whose queue is its own (`ownQueue`): on a shared one
   * others' sends raise it too, and it is read for every message.
   */
  private bufferedBound: number
  private readonly maxControlFrames: number
  private readonly maxControlBytes: number
  private controlFrames = 0
  private controlBytes = 0
  private scheduled = false
  private retry: ReturnType<typeof setTimeout> | null = null
  private closed = false
  private waiters: Array<() => void> = []
  private readonly offDrain: () => void

  constructor(private readonly transport: Transport, private readonly options: FrameSenderOptions = {}) {
    this.highWater = options.highWater ?? DEFAULT_HIGH_WATER
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES
    if (!(this.highWater > 0 && this.highWater <= MAX_HIGH_WATER)) throw new RangeError(`highWater must be in (0, ${MAX_HIGH_WATER}]`)
    if (!(this.maxMessageBytes >= 1024 && this.maxMessageBytes <= this.highWater)) throw new RangeError('maxMessageBytes must be at least 1024 and at most highWater')
    this.maxControlFrames = options.maxQueuedControlFrames ?? DEFAULT_MAX_QUEUED_CONTROL_FRAMES
    this.maxControlBytes = options.maxQueuedControlBytes ?? DEFAULT_MAX_QUEUED_CONTROL_BYTES
    if (!(this.maxControlFrames >= 1 && this.maxControlBytes >= 1024)) throw new RangeError('maxQueuedControlFrames must be at least 1 and maxQueuedControlBytes at least 1024')
    this.bufferedBound = transport.bufferedAmount
    this.offDrain = transport.onDrain(() => this.flush())
  }

  /** Queue a frame for this tick's batch. Throws FrameError for a frame that may not go on the wire. */
  send(frame: Frame): void {
    if (this.closed) return
    const wire = toWire(frame)
    this.queue.push(wire)
    this.queuedBytes += frameBytes(wire)
    if (isControl(wire) && this.overflows(wire)) return
    if (this.scheduled) return
    this.scheduled = true
    queueMicrotask(() => {
      this.scheduled = false
      this.flush()
    })
  }

  /** Whether a producer may queue more DATA now (what `writable()` waits for). */
  get ready(): boolean {
    return this.closed || this.hasRoom()
  }

  /** Resolves when a producer may queue more DATA: little is queued here and the transport has room. */
  writable(): Promise<void> {
    if (this.ready) return Promise.resolve()
    return new Promise(resolve => this.waiters.push(resolve))
  }

  /** Bytes queued here, not yet handed to the transport. */
  get queued(): number {
    return this.queuedBytes
  }

  /** Frames other than DATA queued here, and their bytes. */
  get queuedControl(): { frames: number, bytes: number } {
    return { frames: this.controlFrames, bytes: this.controlBytes }
  }

  /** Drop everything queued; later sends are ignored and waiting producers are released. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.queue = []
    this.queuedBytes = 0
    this.controlFrames = 0
    this.controlBytes = 0
    this.offDrain()
    if (this.retry) clearTimeout(this.retry)
    for (const waiter of this.waiters.splice(0)) waiter()
  }

  /** Count one more queued control frame; past a limit, close and tell `onOverflow`. */
  private overflows(wire: WireFrame): boolean {
    this.controlFrames++
    this.controlBytes += frameBytes(wire)
    const over = this.controlFrames > this.maxControlFrames
      ? `${this.controlFrames} frames (limit ${this.maxControlFrames})`
      : this.controlBytes > this.maxControlBytes ? `${this.controlBytes} bytes of frames (limit ${this.maxControlBytes})` : null
    if (!over) return false
    this.close()
    this.options.onOverflow?.(`the peer does not read: ${over} waiting to be sent`)
    return true
  }

  private hasRoom(): boolean {
    return this.queuedBytes < 2 * this.maxMessageBytes && this.fits(this.maxMessageBytes)
  }

  private fits(size: number): boolean {
    if (this.transport.ownQueue && this.bufferedBound + size <= this.highWater) return true
    const buffered = this.transport.bufferedAmount
    this.bufferedBound = buffered
    return buffered === 0 || buffered + size <= this.highWater
  }

  private flush(): void {
    while (!this.closed && this.queue.length > 0) {
      const size = this.nextMessageSize()
      if (!this.fits(size)) {
        this.retry ??= setTimeout(() => {
          this.retry = null
          this.flush()
        }, RETRY_MS)
        break
      }
      try {
        this.transport.send(this.takeMessage(size))
        this.bufferedBound += size
      }
      catch (error) {
        this.close()
        this.options.onError?.(toError(error))
        return
      }
    }
    if (this.hasRoom()) for (const waiter of this.waiters.splice(0)) waiter()
  }

  /** Whole frames while they fit, or the next slice of a frame longer than a message. */
  private nextMessageSize(): number {
    const first = this.queue[0]
    if (!first) return 0
    const firstLeft = frameBytes(first) - this.sentOfFirst
    if (this.sentOfFirst > 0 || firstLeft > this.maxMessageBytes) return Math.min(firstLeft, this.maxMessageBytes)
    let size = firstLeft
    for (let i = 1; i < this.queue.length; i++) {
      const next = frameBytes(this.queue[i]!)
      if (size + next > this.maxMessageBytes) break
      size += next
    }
    return size
  }

  private takeMessage(size: number): Uint8Array {
    const message = new Uint8Array(size)
    let offset = 0
    while (offset < size) {
      const wire = this.queue[0]!
      const total = frameBytes(wire)
      const end = Math.min(total, this.sentOfFirst + size - offset)
      copyFrameBytes(wire, this.sentOfFirst, end, message, offset)
      offset += end - this.sentOfFirst
      if (end === total) {
        this.queue.shift()
        this.sentOfFirst = 0
        if (isControl(wire)) {
          this.controlFrames--
          this.controlBytes -= total
        }
      }
      else this.sentOfFirst = end
    }
    this.queuedBytes -= size
    return message
  }
}

/** Copy bytes [from, to) of `wire` as it is on the wire (header, then payload) into `target` at `offset`. */
function copyFrameBytes(wire: WireFrame, from: number, to: number, target: Uint8Array, offset: number): void {
  if (from === 0 && to >= FRAME_HEADER_BYTES) writeFrameHeader(wire, target, offset)
  else if (from < FRAME_HEADER_BYTES) {
    const header = new Uint8Array(FRAME_HEADER_BYTES)
    writeFrameHeader(wire, header, 0)
    target.set(header.subarray(from, Math.min(to, FRAME_HEADER_BYTES)), offset)
  }
  const payloadFrom = Math.max(from, FRAME_HEADER_BYTES) - FRAME_HEADER_BYTES
  const payloadTo = to - FRAME_HEADER_BYTES
  if (payloadTo > payloadFrom) target.set(wire.payload.subarray(payloadFrom, payloadTo), offset + Math.max(from, FRAME_HEADER_BYTES) - from)
}
