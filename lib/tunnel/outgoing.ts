import { FrameType, MAX_FRAME_PAYLOAD } from '../../shared/protocol/frames'
import type { FrameSender } from './sender'
import { DEFAULT_WINDOW } from './incoming'

/** Thrown out of a body pump when the stream was reset or the connection closed. */
export class StreamClosedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StreamClosedError'
  }
}

/**
 * The sending half of a stream's body: sends DATA within the credit the
 * peer granted (WINDOW frames add to it) and the sender's room, then END.
 */
export class OutgoingBody {
  private credit: number
  private creditWaiter: (() => void) | null = null
  private closedError: Error | null = null

  constructor(private readonly id: number, private readonly sender: FrameSender, window = DEFAULT_WINDOW) {
    this.credit = window
  }

  /** The peer granted more credit. */
  addCredit(bytes: number): void {
    this.credit += bytes
    this.wake()
  }

  /** Stop sending: the stream was reset or the connection lost. */
  abort(error: Error): void {
    this.closedError ??= error
    this.wake()
  }

  /** Send `body` (bytes, a stream, or nothing) and then END. */
  async send(body: Uint8Array | ReadableStream<Uint8Array> | null): Promise<void> {
    if (body instanceof Uint8Array) await this.sendBytes(body)
    else if (body) await this.sendStream(body)
    this.check()
    this.sender.send({ type: FrameType.END, stream: this.id })
  }

  private async sendStream(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader()
    try {
      for (;;) {
        this.check()
        const { done, value } = await reader.read()
        if (done) return
        await this.sendBytes(value)
      }
    }
    catch (error) {
      await reader.cancel(error).catch(() => undefined)
      throw error
    }
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
      await this.sender.writable()
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
