import { FrameType, ResetCode, type Frame, type RequestHead, type ResponseHead } from '../../shared/protocol/frames'
import type { StreamHandler, TunnelConnection } from './connection'
import { toError, TunnelError } from './errors'
import { IncomingBody } from './incoming'
import { BodyAllowance, type BodyBudget } from './limits'
import { OutgoingBody, type BodyInit } from './outgoing'

/** A request as the host's handler gets it. */
export interface TunnelRequest {
  head: RequestHead
  /** The request body as it streams in (empty for none). */
  body: ReadableStream<Uint8Array>
  /** Aborted when the visitor cancels, the body is over the limit, or the tunnel closes. */
  signal: AbortSignal
}

/** What a handler answers. */
export interface TunnelReply {
  head: ResponseHead
  body: BodyInit
}

/** The host's request handler. */
export type TunnelHandler = (request: TunnelRequest) => Promise<TunnelReply>

const encoder = new TextEncoder()

/** The reply to a request whose handler failed. */
function internalError(): TunnelReply {
  return { head: { status: 500, headers: [['content-type', 'text/plain; charset=utf-8']] }, body: encoder.encode('Internal Server Error') }
}

/** What a ServeStream is allowed: its receive window, and the limits of its request. */
export interface ServeSettings {
  window: number
  maxBodyBytes: number
  /** From HEAD to END, at most this long. */
  requestDeadlineMs: number
  /** Budgets every body byte counts against while the request is in progress: the connection's and the host's. */
  budgets: readonly BodyBudget[]
}

function isBody(body: unknown): body is BodyInit {
  return body === null || body instanceof Uint8Array || body instanceof ReadableStream
}

/**
 * One request on the host's side: feeds DATA to the handler's body stream
 * (up to `maxBodyBytes`, and while the budgets allow), runs the handler, and
 * sends its reply. A handler that throws gives a 500; a reply body that fails
 * after the head is out resets the stream, as does a body that has not ended
 * by the deadline (TIMEOUT) or is over a limit (TOO_LARGE, OVERLOADED).
 */
export class ServeStream implements StreamHandler<RequestHead> {
  private readonly controller = new AbortController()
  private readonly incoming: IncomingBody
  private readonly outgoing: OutgoingBody
  private readonly allowance: BodyAllowance
  private deadline: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly id: number,
    private readonly head: RequestHead,
    private readonly connection: TunnelConnection<RequestHead>,
    settings: ServeSettings,
  ) {
    this.incoming = new IncomingBody(id, connection.sender, { window: settings.window })
    this.outgoing = new OutgoingBody(id, connection.sender)
    this.allowance = new BodyAllowance(settings.maxBodyBytes, settings.budgets)
    // Without it a HEAD that never ends holds its stream, and the bytes it sent, for ever (slowloris).
    const ms = settings.requestDeadlineMs
    this.deadline = setTimeout(() => this.reset(ResetCode.TIMEOUT, new TunnelError('aborted', `the request did not end within ${ms} ms`)), ms)
    connection.streams.set(id, this)
  }

  /** A frame of this stream arrived. */
  frame(frame: Frame<RequestHead>): void {
    switch (frame.type) {
      case FrameType.DATA: return this.onData(frame.data)
      case FrameType.END: return this.onEnd()
      case FrameType.WINDOW: return this.outgoing.addCredit(frame.credit)
      case FrameType.RESET: {
        this.connection.streams.delete(this.id)
        const reason = frame.reason || `code ${frame.code}`
        return this.fail(new TunnelError('reset', `the visitor reset the request: ${reason}`, { resetCode: frame.code }))
      }
      case FrameType.HEAD: return this.reset(ResetCode.PROTOCOL, new TunnelError('protocol', 'the visitor sent a second HEAD'))
      default: {
        const never: never = frame
        return this.reset(ResetCode.PROTOCOL, new TunnelError('protocol', `unexpected frame ${JSON.stringify(never)}`))
      }
    }
  }

  /** The connection is gone. */
  lost(error: TunnelError): void {
    this.fail(error)
  }

  /** Reset the stream towards the visitor and fail it here. */
  reset(code: number, error: TunnelError): void {
    this.connection.reset(this.id, code, error.message)
    this.fail(error)
  }

  /** Run `handler` and send what it answers; resolves once the request is done. Never rejects. */
  async serve(handler: TunnelHandler): Promise<void> {
    try {
      await this.run(handler)
    }
    finally {
      this.settle()
    }
  }

  private async run(handler: TunnelHandler): Promise<void> {
    const reply = await this.answer(handler)
    if (!this.connection.streams.has(this.id)) {
      if (reply.body instanceof ReadableStream) await reply.body.cancel(this.controller.signal.reason).catch(logCancel)
      return
    }
    try {
      this.connection.sender.send({ type: FrameType.HEAD, stream: this.id, head: reply.head })
    }
    catch (error) {
      console.error('[tunnel] the handler answered a head that cannot be sent:', toError(error).message)
      if (reply.body instanceof ReadableStream) await reply.body.cancel().catch(logCancel)
      return this.sendReply(internalError())
    }
    await this.sendBody(reply.body)
  }

  private async sendReply(reply: TunnelReply): Promise<void> {
    this.connection.sender.send({ type: FrameType.HEAD, stream: this.id, head: reply.head })
    await this.sendBody(reply.body)
  }

  private async sendBody(body: BodyInit): Promise<void> {
    try {
      await this.outgoing.send(body)
      this.connection.streams.delete(this.id)
    }
    catch (error) {
      if (!this.connection.streams.has(this.id)) return // reset or lost meanwhile: nothing to tell
      console.error('[tunnel] the response body failed:', error)
      this.reset(ResetCode.INTERNAL, new TunnelError('aborted', 'the response body failed', { cause: error }))
    }
  }

  private async answer(handler: TunnelHandler): Promise<TunnelReply> {
    const { signal } = this.controller
    try {
      const reply = await handler({ head: this.head, body: this.incoming.stream, signal })
      if (isBody(reply.body)) return reply
      throw new TypeError('the handler answered a body that is not bytes, a stream or null')
    }
    catch (error) {
      if (!signal.aborted) console.error('[tunnel] the handler failed:', error)
      return internalError()
    }
  }

  private onEnd(): void {
    clearTimeout(this.deadline)
    this.incoming.end()
  }

  private onData(data: Uint8Array): void {
    const refused = this.incoming.ended ? null : this.allowance.take(data.byteLength)
    if (refused) return this.reset(refused.code, new TunnelError('aborted', refused.reason))
    // The rest of the window only once a body comes: a GET's HEAD and END then cost one message each way.
    this.incoming.open()
    const problem = this.incoming.push(data)
    if (problem) this.reset(ResetCode.PROTOCOL, new TunnelError('protocol', `the visitor broke the protocol: ${problem}`))
  }

  /** The request is done or failed: its deadline stops and its body bytes go back to the budgets. */
  private settle(): void {
    clearTimeout(this.deadline)
    this.allowance.release()
  }

  private fail(error: Error): void {
    this.settle()
    this.incoming.fail(error)
    this.outgoing.abort(error)
    if (!this.controller.signal.aborted) this.controller.abort(error)
  }
}

function logCancel(error: unknown): void {
  console.debug('[tunnel] cancelling an unsent reply body failed:', toError(error).message)
}
