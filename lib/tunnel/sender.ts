import { frameSize, writeFrame, type Frame } from '../../shared/protocol/frames'
import type { Transport } from './transport'

/** Most bytes packed into one transport message: three full DATA frames (Chromium's data channels take 256 KiB). */
export const MAX_MESSAGE_BYTES = 3 * (64 * 1024 + 9)
/** Default ceiling of bytes queued in the transport (Chromium's data channel throws past 16 MiB). */
export const DEFAULT_HIGH_WATER = 4 * 1024 * 1024

/**
 * Sends frames over a transport: frames queued in the same tick are packed
 * into as few messages as fit, and nothing is handed to the transport while
 * its `bufferedAmount` is over the high-water mark (the drain event resumes).
 */
export class FrameSender {
  private queue: Frame[] = []
  private queuedBytes = 0
  private scheduled = false
  private closed = false
  private writableWaiters: Array<() => void> = []

  constructor(private readonly transport: Transport, private readonly highWater = DEFAULT_HIGH_WATER) {
    if (highWater > 8 * 1024 * 1024) throw new RangeError('high-water mark over 8 MiB')
    transport.onDrain(() => this.flush())
  }

  /** Queue a frame; it goes out in this tick's batch. */
  send(frame: Frame): void {
    if (this.closed) return
    this.queue.push(frame)
    this.queuedBytes += frameSize(frame)
    if (!this.scheduled) {
      this.scheduled = true
      queueMicrotask(() => {
        this.scheduled = false
        this.flush()
      })
    }
  }

  /** Resolves when a producer may queue more DATA (little is queued here and in the transport). */
  writable(): Promise<void> {
    if (this.closed || this.hasRoom()) return Promise.resolve()
    return new Promise(resolve => this.writableWaiters.push(resolve))
  }

  /** Drop everything queued; later sends are ignored. */
  close(): void {
    this.closed = true
    this.queue = []
    this.queuedBytes = 0
    for (const waiter of this.writableWaiters.splice(0)) waiter()
  }

  private hasRoom(): boolean {
    return this.queuedBytes < MAX_MESSAGE_BYTES * 2 && this.transport.bufferedAmount <= this.highWater
  }

  private flush(): void {
    while (!this.closed && this.queue.length > 0 && this.transport.bufferedAmount <= this.highWater) {
      this.transport.send(this.nextMessage())
    }
    if (this.hasRoom()) for (const waiter of this.writableWaiters.splice(0)) waiter()
  }

  /** Take frames off the queue into one message of at most MAX_MESSAGE_BYTES (or one larger frame). */
  private nextMessage(): Uint8Array {
    let count = 0
    let size = 0
    for (const frame of this.queue) {
      const next = frameSize(frame)
      if (count > 0 && size + next > MAX_MESSAGE_BYTES) break
      size += next
      count++
    }
    const message = new Uint8Array(size)
    let offset = 0
    for (const frame of this.queue.splice(0, count)) offset = writeFrame(frame, message, offset)
    this.queuedBytes -= size
    return message
  }
}
