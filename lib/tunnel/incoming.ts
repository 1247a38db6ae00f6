import { FrameType, INITIAL_WINDOW } from '../../shared/protocol/frames'
import type { FrameSender } from './sender'

/** Default per-stream receive window in bytes: credit for DATA the peer may send ahead of the reader. */
export const DEFAULT_WINDOW = 4 * 1024 * 1024
/** Largest chunk handed to the reader: DATA that waited is merged up to this. */
export const MAX_READ_CHUNK = 1024 * 1024

/** Take chunks off the front of `chunks`, merged into one of at most `limit` bytes (a longer first chunk alone). */
function takeMerged(chunks: Uint8Array[], limit: number): Uint8Array {
  const first = chunks[0]
  if (!first) return new Uint8Array(0)
  let size = first.byteLength
  let used = 1
  while (used < chunks.length && size + chunks[used]!.byteLength <= limit) size += chunks[used++]!.byteLength
  if (used === 1) return chunks.shift() ?? first
  const out = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks.splice(0, used)) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}

/** Options of an IncomingBody. */
export interface IncomingBodyOptions {
  /** Receive window in bytes (default DEFAULT_WINDOW; never below the protocol's INITIAL_WINDOW). */
  window?: number
  /**
   * Hand the reader at most one chunk per this many ms while data streams in
   * (default 0: every time it reads). Data that arrives in between is merged,
   * up to MAX_READ_CHUNK, which goes at once. A chunk after a quiet spell is
   * not held, so an event stream's events are not delayed.
   */
  batchMs?: number
  /** The reader cancelled the body. */
  onCancel?: (reason: unknown) => void
}

/** What the receiving end's settings give each body. */
export type ReceiveOptions = Pick<IncomingBodyOptions, 'window' | 'batchMs'>

/**
 * The receiving half of a stream's body: DATA frames become chunks of a
 * ReadableStream, and WINDOW frames grant the sender more credit as the
 * reader consumes, so a slow reader bounds what the other side may send.
 * Every stream starts with INITIAL_WINDOW of credit; `open()` tops it up to
 * `window`. DATA that arrived while the reader was busy is handed over as
 * one merged chunk: fewer, larger chunks cost less when the stream is piped
 * across threads (the visitor's service worker reads it through a transfer).
 * With `batchMs`, a reader that keeps up still gets few, larger chunks.
 */
export class IncomingBody {
  readonly stream: ReadableStream<Uint8Array>
  private readonly window: number
  private readonly batchMs: number
  private readonly pending: Uint8Array[] = []
  private pendingBytes = 0
  /** When the reader last got a chunk (performance.now()), for `batchMs`. */
  private lastHandOver = Number.NEGATIVE_INFINITY
  private received = 0
  private consumed = 0
  private granted = INITIAL_WINDOW
  private state: 'open' | 'ending' | 'done' = 'open'
  private failure: Error | null = null
  private wake: (() => void) | null = null
  private opened = false

  constructor(
    private readonly id: number,
    private readonly sender: FrameSender,
    options: IncomingBodyOptions = {},
  ) {
    this.window = Math.max(options.window ?? DEFAULT_WINDOW, INITIAL_WINDOW)
    this.batchMs = Math.max(0, options.batchMs ?? 0)
    this.stream = new ReadableStream<Uint8Array>({
      pull: controller => this.pull(controller),
      cancel: (reason) => {
        this.state = 'done'
        this.pending.length = 0
        this.pendingBytes = 0
        options.onCancel?.(reason)
      },
    }, { highWaterMark: 0 })
  }

  /** Grant the peer the rest of the window, once; call after the stream's HEAD is on its way. */
  open(): void {
    if (this.opened) return
    this.opened = true
    const extra = this.window - this.granted
    if (extra <= 0 || this.state !== 'open') return
    this.granted += extra
    this.sender.send({ type: FrameType.WINDOW, stream: this.id, credit: extra })
  }

  /** DATA bytes received so far. */
  get size(): number {
    return this.received
  }

  /** Whether the peer's END arrived (or the body was abandoned). */
  get ended(): boolean {
    return this.state !== 'open'
  }

  /** A DATA frame arrived; returns what is wrong with it, or null. */
  push(data: Uint8Array): string | null {
    if (this.state === 'ending') return 'DATA after END'
    if (this.state === 'done') return null // the reader cancelled: drop it
    this.received += data.byteLength
    if (this.received > this.granted) return 'flow-control window exceeded'
    if (data.byteLength > 0) {
      this.pending.push(data)
      this.pendingBytes += data.byteLength
    }
    this.signal()
    return null
  }

  /** The sender finished the body. */
  end(): void {
    if (this.state !== 'open') return
    this.state = 'ending'
    this.signal()
  }

  /** The stream was reset or the connection lost: the reader gets `error`. */
  fail(error: Error): void {
    if (this.state === 'done' || this.failure) return
    this.failure = error
    this.pending.length = 0
    this.pendingBytes = 0
    this.signal()
  }

  private signal(): void {
    const wake = this.wake
    this.wake = null
    wake?.()
  }

  private async pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    while (this.pending.length === 0 && this.state === 'open' && !this.failure) await this.nextSignal()
    await this.batch()
    if (this.failure) {
      this.state = 'done'
      controller.error(this.failure)
      return
    }
    if (this.pending.length > 0) {
      const chunk = takeMerged(this.pending, MAX_READ_CHUNK)
      this.pendingBytes -= chunk.byteLength
      this.lastHandOver = performance.now()
      this.consumed += chunk.byteLength
      controller.enqueue(chunk)
      this.grant()
    }
    if (this.pending.length === 0 && this.state === 'ending') {
      this.state = 'done'
      controller.close()
    }
  }

  /** With `batchMs`: while the last chunk went out less than `batchMs` ago, wait for more (or the end). */
  private async batch(): Promise<void> {
    if (this.batchMs === 0) return
    for (;;) {
      const left = this.lastHandOver + this.batchMs - performance.now()
      if (left <= 0 || this.state !== 'open' || this.failure || this.pendingBytes >= MAX_READ_CHUNK) return
      await this.nextSignal(left)
    }
  }

  /** Resolves at the next push, end or failure, or after `timeoutMs` when given. */
  private nextSignal(timeoutMs?: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
          this.wake = null
          resolve()
        }, timeoutMs)
      this.wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })
  }

  /** Keep `granted` at consumed + window, in steps of at least half a window. */
  private grant(): void {
    if (this.state !== 'open') return
    const credit = this.consumed + this.window - this.granted
    if (credit >= this.window / 2) {
      this.granted += credit
      this.sender.send({ type: FrameType.WINDOW, stream: this.id, credit })
    }
  }
}
