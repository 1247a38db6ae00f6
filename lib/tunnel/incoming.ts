import { FrameType } from '../../shared/protocol/frames'
import type { FrameSender } from './sender'

/** Default per-stream flow-control window, in bytes. */
export const DEFAULT_WINDOW = 4 * 1024 * 1024

/**
 * The receiving half of a stream's body: DATA frames become chunks of a
 * ReadableStream, and WINDOW frames grant the sender more credit as the
 * reader consumes, so a slow reader bounds what the other side may send.
 */
export class IncomingBody {
  readonly stream: ReadableStream<Uint8Array>
  private controller!: ReadableStreamDefaultController<Uint8Array>
  private received = 0
  private granted: number
  private done = false

  constructor(
    private readonly id: number,
    private readonly sender: FrameSender,
    private readonly window = DEFAULT_WINDOW,
    onCancel: (reason: unknown) => void = () => {},
  ) {
    this.granted = window
    this.stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller
      },
      pull: () => this.grant(),
      cancel: (reason) => {
        this.done = true
        onCancel(reason)
      },
    }, new ByteLengthQueuingStrategy({ highWaterMark: window }))
  }

  /** Bytes received so far. */
  get size(): number {
    return this.received
  }

  /** A DATA frame arrived; false when the sender overran its credit. */
  push(data: Uint8Array): boolean {
    if (this.done) return true
    this.received += data.byteLength
    if (this.received > this.granted) return false
    this.controller.enqueue(data)
    this.grant()
    return true
  }

  /** The sender finished the body. */
  end(): void {
    if (this.done) return
    this.done = true
    this.controller.close()
  }

  /** The stream was reset or the connection lost. */
  fail(error: Error): void {
    if (this.done) return
    this.done = true
    this.controller.error(error)
  }

  /** Keep `granted` at consumed + window, in steps of at least half a window. */
  private grant(): void {
    if (this.done) return
    const queued = Math.max(0, this.window - (this.controller.desiredSize ?? 0))
    const consumed = this.received - queued
    const credit = consumed + this.window - this.granted
    if (credit >= this.window / 2) {
      this.granted += credit
      this.sender.send({ type: FrameType.WINDOW, stream: this.id, credit })
    }
  }
}
