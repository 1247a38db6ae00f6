import { FrameType, ResetCode, type Frame, type RequestHead, type ResponseHead } from '../../shared/protocol/frames'
import type { StreamHandler, TunnelConnection } from './connection'
import { toError, TunnelError } from './errors'
import { IncomingBody, type ReceiveOptions } from './incoming'
import { OutgoingBody, type BodyInit } from './outgoing'

/** A response as the visitor gets it: the head, and the body as it streams in. */
export interface TunnelResponse {
  head: ResponseHead
  body: ReadableStream<Uint8Array>
}

/**
 * One request on the visitor's side: sends HEAD, the body and END, and turns
 * the host's HEAD, DATA and END into a TunnelResponse. Aborting the signal or
 * cancelling the response body resets the stream.
 */
export class RequestStream implements StreamHandler<ResponseHead> {
  readonly response: Promise<TunnelResponse>
  private resolve!: (response: TunnelResponse) => void
  private reject!: (error: Error) => void
  private readonly outgoing: OutgoingBody
  private readonly incoming: IncomingBody
  private headed = false
  private settled = false

  constructor(
    private readonly id: number,
    private readonly connection: TunnelConnection<ResponseHead>,
    body: ReceiveOptions,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.response = new Promise((resolve, reject) => {
      this.resolve = resolve
      this.reject = reject
    })
    this.outgoing = new OutgoingBody(id, connection.sender)
    this.incoming = new IncomingBody(id, connection.sender, { ...body, onCancel: () => this.cancel('the reader cancelled the response body') })
  }

  /** Send the head and start sending the body. Throws FrameError for a head that may not go on the wire. */
  start(head: RequestHead, body: BodyInit): void {
    this.connection.sender.send({ type: FrameType.HEAD, stream: this.id, head })
    this.connection.streams.set(this.id, this)
    this.incoming.open()
    this.signal?.addEventListener('abort', this.onAbort, { once: true })
    this.outgoing.send(body).catch((error: unknown) => {
      if (this.settled) return
      this.connection.reset(this.id, ResetCode.CANCEL, 'the request body failed')
      this.fail(new TunnelError('aborted', `the request body failed: ${toError(error).message}`, { cause: error }))
    })
  }

  /** A frame of this stream arrived. */
  frame(frame: Frame<ResponseHead>): void {
    switch (frame.type) {
      case FrameType.HEAD: return this.onHead(frame.head)
      case FrameType.DATA: {
        const problem = this.headed ? this.incoming.push(frame.data) : 'DATA before HEAD'
        if (problem) this.protocolError(problem)
        return
      }
      case FrameType.END: return this.headed ? this.onEnd() : this.protocolError('END before HEAD')
      case FrameType.WINDOW: return this.outgoing.addCredit(frame.credit)
      case FrameType.RESET: {
        this.connection.streams.delete(this.id)
        const reason = frame.reason || `code ${frame.code}`
        return this.fail(new TunnelError('reset', `the host reset the request: ${reason}`, { resetCode: frame.code }))
      }
      default: {
        const never: never = frame
        return this.protocolError(`unexpected frame ${JSON.stringify(never)}`)
      }
    }
  }

  /** The connection is gone. */
  lost(error: TunnelError): void {
    this.fail(error)
  }

  private onHead(head: ResponseHead): void {
    if (this.headed) return this.protocolError('a second HEAD')
    this.headed = true
    this.resolve({ head, body: this.incoming.stream })
  }

  private onEnd(): void {
    this.connection.streams.delete(this.id)
    this.incoming.end()
    this.settle()
    if (!this.outgoing.finished) {
      // The host answered without reading the whole body: stop sending it.
      this.outgoing.abort(new TunnelError('aborted', 'the host answered before reading the whole request body'))
      this.connection.reset(this.id, ResetCode.CANCEL, 'the response is complete')
    }
  }

  private readonly onAbort = (): void => {
    this.cancel('the request was aborted')
  }

  private cancel(message: string): void {
    if (this.settled) return
    this.connection.reset(this.id, ResetCode.CANCEL, message)
    this.fail(new TunnelError('aborted', message, { cause: this.signal?.reason }))
  }

  private protocolError(problem: string): void {
    this.connection.reset(this.id, ResetCode.PROTOCOL, problem)
    this.fail(new TunnelError('protocol', `the host broke the protocol: ${problem}`))
  }

  private fail(error: Error): void {
    if (this.settled) return
    this.settle()
    this.outgoing.abort(error)
    if (this.headed) this.incoming.fail(error)
    else this.reject(error)
  }

  private settle(): void {
    this.settled = true
    this.signal?.removeEventListener('abort', this.onAbort)
  }
}
