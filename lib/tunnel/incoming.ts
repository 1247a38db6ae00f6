import { FrameType } from '../../shared/protocol/frames'
import type { FrameSender } from './sender'

/** Default per-stream flow-control window, in bytes. */
export const DEFAULT_WINDOW = 4 * 1024 * 1024
/** Largest chunk handed to the reader: DATA that waited is merged up to this. */
export const MAX_READ_CHUNK = 1024 * 1024

function merge(chunks: Uint8Array[], limit: number): { chunk: Uint8Array, used: number } {
  const first = chunks[0]
  if (!first || first.byteLength >= limit || chunks.length === 1) return { chunk: first ?? new Uint8Array(0), used: 1 }
  let size = 0
  let used = 0
  for (const chunk of chunks) {
    if (used > 0 && size + chunk.byteLength > limit) break
    size += chunk.byteLength
    used++
  }
  const out = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks.slice(0, used)) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return { chunk: out, used }
}

/**
 * The receiving half of a stream's body: DATA frames become chunks of a
 * ReadableStream, and WINDOW frames grant the sender more credit as the
 * reader consumes, so a slow reader bounds what the other side may send.
 * DATA that arrived while the reader was busy is handed over as one merged
 * chunk: fewer, larger chunks cost less when the stream is piped across
 * threads (the visitor's service worker reads it through a transfer).
 */
export class IncomingBody {
  readonly stream: ReadableStream<Uint8Array>
  private readonly pending: Uint8Array[] = []
  private received = 0
  private consumed = 0
  private granted: number
  private state: 'open' | 'ending' | 'done' = 'open'
  private failure: Error | null = null
  private wake: (() => void) | null = null

  constructor(
    private readonly id: number,
    private readonly sender: FrameSender,
    private readonly window = DEFAULT_WINDOW,
    onCancel: (reason: unknown) => void = () => {},
  ) {
    this.granted = window
    this.stream = new ReadableStream<Uint8Array>({
      pull: controller => this.pull(controller),
      cancel: (reason) => {
        this.state = 'done'
        this.pending.length = 0
        onCancel(reason)
      },
    }, { highWaterMark: 0 })
  }

  /** Bytes received so far. */
  get size(): number {
    return this.received
  }

  /** A DATA frame arrived; false when the sender overran its credit. */
  push(data: Uint8Array): boolean {
    if (this.state !== 'open') return true
    this.received += data.byteLength
    if (this.received > this.granted) return false
    if (data.byteLength > 0) {
      this.pending.push(data)
    }
    this.signal()
    return true
  }

  /** The sender finished the body. */
  end(): void {
    if (this.state !== 'open') return
    this.state = 'ending'
    this.signal()
  }

  /** The stream was reset or the connection lost. */
  fail(error: Error): void {
    if (this.state === 'done') return
    this.failure = error
    this.signal()
  }

  private signal(): void {
    const wake = this.wake
    this.wake = null
    wake?.()
  }

  private async pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    while (this.pending.length === 0 && this.state === 'open' && !this.failure) {
      await new Promise<void>((resolve) => {
        this.wake = resolve
      })
    }
    if (this.failure) {
      this.state = 'done'
      controller.error(this.failure)
      return
    }
    if (this.pending.length > 0) {
      const { chunk, used } = merge(this.pending, MAX_READ_CHUNK)
      this.pending.splice(0, used)
      this.consumed += chunk.byteLength
      controller.enqueue(chunk)
      this.grant()
    }
    if (this.pending.length === 0 && this.state === 'ending') {
      this.state = 'done'
      controller.close()
    }
  }

  /** Keep `granted` at consumed + window, in steps of at least half a window. */
  private grant(): void {
    if (this.state === 'done') return
    const credit = this.consumed + this.window - this.granted
    if (credit >= this.window / 2) {
      this.granted += credit
      this.sender.send({ type: FrameType.WINDOW, stream: this.id, credit })
    }
  }
}
