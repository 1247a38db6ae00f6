import { FrameDecoder, FrameError, FrameType, ResetCode, type Frame } from '../../shared/protocol/frames'
import { FrameSender, DEFAULT_HIGH_WATER } from './sender'
import type { Transport } from './transport'

/** Options shared by both ends of a tunnel. */
export interface TunnelOptions {
  /** Per-stream flow-control window in bytes (default 4 MiB). */
  window?: number
  /** Ceiling of the transport's queued bytes (default 4 MiB, at most 8 MiB). */
  highWater?: number
}

/** What each end does with frames of one stream. */
export interface StreamHandler {
  frame(frame: Frame): void
  /** The connection is gone: fail whatever is pending. */
  lost(error: Error): void
}

/**
 * One end of a tunnel: decodes incoming messages into frames for the
 * streams, and sends through a shared FrameSender. Garbage on the wire
 * closes the connection (it cannot be resynchronised).
 */
export class TunnelConnection {
  readonly sender: FrameSender
  readonly streams = new Map<number, StreamHandler>()
  private readonly decoder = new FrameDecoder()
  private closedError: Error | null = null
  private readonly unsubscribe: Array<() => void>

  constructor(
    private readonly transport: Transport,
    private readonly onNewStream: (frame: Frame) => void,
    options: TunnelOptions = {},
  ) {
    this.sender = new FrameSender(transport, options.highWater ?? DEFAULT_HIGH_WATER)
    this.unsubscribe = [
      transport.onMessage(data => this.receive(data)),
      transport.onClose(reason => this.lose(new Error(`the tunnel closed (${reason})`))),
    ]
  }

  /** Why the connection is closed, or null while it is open. */
  get error(): Error | null {
    return this.closedError
  }

  /** Reset one stream towards the peer and forget it. */
  reset(stream: number, code: number, reason: string): void {
    this.streams.delete(stream)
    this.sender.send({ type: FrameType.RESET, stream, code, reason })
  }

  /** Close the connection and fail every stream. */
  close(reason = 'closed'): void {
    this.lose(new Error(`the tunnel closed (${reason})`))
    this.transport.close()
  }

  private receive(data: Uint8Array): void {
    if (this.closedError) return
    let frames: Frame[]
    try {
      frames = this.decoder.push(data)
    }
    catch (error) {
      if (!(error instanceof FrameError)) throw error
      console.warn('[tunnel] protocol error, closing:', error.message)
      this.sender.send({ type: FrameType.RESET, stream: 0, code: ResetCode.PROTOCOL, reason: error.message })
      this.close(`protocol error: ${error.message}`)
      return
    }
    for (const frame of frames) {
      const stream = this.streams.get(frame.stream)
      if (stream) stream.frame(frame)
      else this.onNewStream(frame)
    }
  }

  private lose(error: Error): void {
    if (this.closedError) return
    this.closedError = error
    this.sender.close()
    for (const unsubscribe of this.unsubscribe) unsubscribe()
    const streams = [...this.streams.values()]
    this.streams.clear()
    for (const stream of streams) stream.lost(error)
  }
}
