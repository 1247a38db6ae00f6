import type { z } from 'zod'
import { encodeFrame, FrameDecoder, FrameError, FrameType, ResetCode, type Frame, type Head } from '../../shared/protocol/frames'
import { TunnelError } from './errors'
import { FrameSender, type FrameSenderOptions } from './sender'
import type { Transport } from './transport'
import { errorMessage } from '../../shared/error-message'

/** Options shared by both ends of a tunnel. */
export interface TunnelOptions {
  /** Per-stream receive window in bytes (default 4 MiB; never below the protocol's initial 1 MiB). */
  window?: number
  /** Response bodies (the visitor's end): at most one chunk per this many ms while data streams in (default 0, off). */
  batchMs?: number
  /** Ceiling of the transport's `bufferedAmount` (default 4 MiB, at most 8 MiB). */
  highWater?: FrameSenderOptions['highWater']
  /** Largest transport message (default 128 KiB + two headers); a frame longer than this is split. */
  maxMessageBytes?: FrameSenderOptions['maxMessageBytes']
  /** Most frames other than DATA queued for a peer that does not read (default 4096); past it the connection closes. */
  maxQueuedControlFrames?: FrameSenderOptions['maxQueuedControlFrames']
  /** Most bytes of those frames (default 8 MiB); past it the connection closes. */
  maxQueuedControlBytes?: FrameSenderOptions['maxQueuedControlBytes']
}

/** What one end does with the frames of one stream. */
export interface StreamHandler<H extends Head> {
  frame(frame: Frame<H>): void
  /** The connection is gone: fail whatever is pending. */
  lost(error: TunnelError): void
}

/**
 * One end of a tunnel: decodes incoming messages into frames for its
 * streams, and sends through a shared FrameSender. Garbage on the wire, or a
 * RESET of stream 0, ends the connection (framing cannot resynchronise).
 */
export class TunnelConnection<H extends Head> {
  readonly sender: FrameSender
  readonly streams = new Map<number, StreamHandler<H>>()
  private readonly decoder: FrameDecoder<H>
  private closedError: TunnelError | null = null
  private readonly unsubscribe: Array<() => void>

  constructor(
    private readonly transport: Transport,
    headSchema: z.ZodType<H>,
    private readonly onNewStream: (frame: Frame<H>) => void,
    options: TunnelOptions = {},
  ) {
    this.decoder = new FrameDecoder(headSchema)
    this.sender = new FrameSender(transport, {
      highWater: options.highWater,
      maxMessageBytes: options.maxMessageBytes,
      maxQueuedControlFrames: options.maxQueuedControlFrames,
      maxQueuedControlBytes: options.maxQueuedControlBytes,
      onError: error => this.close(`the transport refused a message: ${error.message}`),
      onOverflow: reason => this.end(ResetCode.OVERLOADED, reason),
    })
    this.unsubscribe = [
      transport.onMessage(data => this.receive(data)),
      transport.onClose(reason => this.lose(new TunnelError('closed', `the tunnel closed (${reason})`))),
    ]
  }

  /** Why the connection is closed, or null while it is open. */
  get error(): TunnelError | null {
    return this.closedError
  }

  /** Reset one stream towards the peer and forget it. */
  reset(stream: number, code: number, reason: string): void {
    this.streams.delete(stream)
    this.sender.send({ type: FrameType.RESET, stream, code, reason })
  }

  /** Close the connection and the transport; every stream fails. */
  close(reason = 'closed'): void {
    if (this.closedError) return
    this.lose(new TunnelError('closed', `the tunnel closed (${reason})`))
    this.transport.close()
  }

  private receive(data: Uint8Array): void {
    if (this.closedError) return
    let frames: Array<Frame<H>>
    try {
      frames = this.decoder.push(data)
    }
    catch (error) {
      if (!(error instanceof FrameError)) throw error
      this.protocolError(error)
      return
    }
    for (const frame of frames) {
      if (this.closedError) return
      if (frame.stream === 0) this.connectionFrame(frame)
      else {
        const stream = this.streams.get(frame.stream)
        if (stream) stream.frame(frame)
        else this.onNewStream(frame)
      }
    }
  }

  private connectionFrame(frame: Frame<H>): void {
    if (frame.type === FrameType.RESET) this.close(`the peer ended it: ${frame.reason || `code ${frame.code}`}`)
    else this.protocolError(new FrameError('bad-frame', `frame type ${frame.type} on stream 0`))
  }

  /** The peer broke a rule of the framing (not of one stream): tell it with a PROTOCOL reset of stream 0, and close. */
  protocolError(error: FrameError): void {
    console.warn('[tunnel] protocol error, closing:', error.message)
    this.end(ResetCode.PROTOCOL, `protocol error: ${error.message}`, error.message)
  }

  /** Tell the peer why (straight to the transport: the queue is dropped on close), then close. */
  private end(code: number, reason: string, told = reason): void {
    if (this.closedError) return
    try {
      this.transport.send(encodeFrame({ type: FrameType.RESET, stream: 0, code, reason: told }))
    }
    catch (sendError) {
      console.debug('[tunnel] could not tell the peer:', errorMessage(sendError))
    }
    this.close(reason)
  }

  private lose(error: TunnelError): void {
    if (this.closedError) return
    this.closedError = error
    this.sender.close()
    for (const unsubscribe of this.unsubscribe) unsubscribe()
    const streams = [...this.streams.values()]
    this.streams.clear()
    for (const stream of streams) stream.lost(error)
  }
}
