import { FrameType, INITIAL_WINDOW, MAX_FRAME_PAYLOAD } from '../../shared/protocol/frames'
import { toError } from './errors'
import type { FrameSender } from './sender'

/** A body as either end may send it: bytes, a stream of bytes, or nothing. */
export type BodyInit = Uint8Array | ReadableStream<Uint8Array> | null

/**
 * The sending half of a stream's body: sends DATA of at most 64 KiB within
 * the credit the peer granted (INITIAL_WINDOW, plus its WINDOW frames) and
 * the sender's room, then END. A stream body is read only as fast as it
 * can be sent.
 */
export class OutgoingBody {
  private credit = INITIAL_WINDOW
  private creditWaiter: (() => void) | null = null
  private closedError: Error | null = null
  private done = false
  private reader: ReadableStreamDefaultReader<Uint8Array> | null = null

  constructor(private readonly id: number, private readonly sender: FrameSender) {}

  /** The peer granted more credit. */
  addCredit(bytes: number): void {
    this.credit += bytes
    this.wake()
  }

  /** Stop sending (the stream was reset, answered or lost); a pending `send` rejects with `error`. */
  abort(error: Error): void {
    if (this.closedError || this.done) return
    this.closedError = error
    this.wake()
    // A producer may be waiting for its next chunk (an event stream): cancelling ends that wait.
    this.cancelReader(error)
  }

  /** Whether the whole body and END were queued. */
  get finished(): boolean {
    return this.done
  }

  /** Send `body` and then END; rejects if aborted or if a stream body fails. */
  async send(body: BodyInit): Promise<void> {
    if (body instanceof Uint8Array) await this.sendBytes(body)
    else if (body) await this.sendStream(body)
    this.check()
    this.done = true
    this.sender.send({ type: FrameType.END, stream: this.id })
  }

  private async sendStream(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader()
    this.reader = reader
    try {
      for (;;) {
        this.check()
        const { done, value } = await reader.read()
        this.check()
        if (done) return
        if (!(value instanceof Uint8Array)) throw new TypeError('a body stream must yield Uint8Array chunks')
        await this.sendBytes(value)
      }
    }
    catch (error) {
      this.cancelReader(error)
      throw error
    }
    finally {
      this.reader = null
    }
  }

  private cancelReader(reason: unknown): void {
    const reader = this.reader
    this.reader = null
    reader?.cancel(reason).catch((error: unknown) => {
      console.debug('[tunnel] cancelling a body stream failed:', toError(error).message)
    })
  }

  private async sendBytes(bytes: Uint8Array): Promise<void> {
    for (let offset = 0; offset < bytes.byteLength; offset += MAX_FRAME_PAYLOAD) {
      const chunk = bytes.subarray(offset, Math.min(offset + MAX_FRAME_PAYLOAD, bytes.byteLength))
      while (this.credit < chunk.byteLength) {
        this.check()
        await new Promise<void>((resolve) => {
          this.creditWaiter = resolve
        })
      }
      this.check()
      // Not awaited when there is room: frames queued in one tick share messages.
      if (!this.sender.ready) await this.sender.writable()
      this.check()
      this.credit -= chunk.byteLength
      this.sender.send({ type: FrameType.DATA, stream: this.id, data: chunk })
    }
  }

  private check(): void {
    if (this.closedError) throw this.closedError
  }

  private wake(): void {
    const waiter = this.creditWaiter
    this.creditWaiter = null
    waiter?.()
  }
}
