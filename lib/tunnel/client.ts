import { MAX_STREAM_ID, ResponseHeadSchema, type RequestHead, type ResponseHead } from '../../shared/protocol/frames'
import { TunnelConnection, type TunnelOptions } from './connection'
import { toError, TunnelError } from './errors'
import type { ReceiveOptions } from './incoming'
import type { BodyInit } from './outgoing'
import { RequestStream, type TunnelResponse } from './request-stream'
import type { Transport } from './transport'

export type { TunnelResponse } from './request-stream'

/**
 * The visitor's end of a tunnel: many concurrent requests over one
 * transport, each a stream with an odd id (1, 3, 5, …), bodies both ways.
 */
export class TunnelClient {
  private readonly connection: TunnelConnection<ResponseHead>
  private readonly body: ReceiveOptions
  private nextId = 1

  constructor(transport: Transport, options: TunnelOptions = {}) {
    this.body = { window: options.window, batchMs: options.batchMs }
    // Frames of a stream this side already forgot (reset, or answered) are dropped.
    this.connection = new TunnelConnection(transport, ResponseHeadSchema, () => {}, options)
  }

  /**
   * Send a request; resolves with the response head once it arrives, the
   * body streaming after it. Rejects with a TunnelError when the host resets
   * the stream, the tunnel closes, or `signal` aborts; the body stream
   * errors the same way once the head is in.
   */
  request(head: RequestHead, body: BodyInit = null, signal?: AbortSignal): Promise<TunnelResponse> {
    const closed = this.connection.error
    if (closed) return Promise.reject(closed)
    if (signal?.aborted) return Promise.reject(new TunnelError('aborted', 'the request was aborted', { cause: signal.reason }))
    if (this.nextId > MAX_STREAM_ID) return Promise.reject(new TunnelError('closed', 'this tunnel has used up its stream ids'))
    const stream = new RequestStream(this.nextId, this.connection, this.body, signal)
    this.nextId += 2
    try {
      stream.start(head, body)
    }
    catch (error) {
      return Promise.reject(toError(error))
    }
    return stream.response
  }

  /** Why the tunnel is closed, or null while it is open. */
  get error(): TunnelError | null {
    return this.connection.error
  }

  /** Close the tunnel and its transport; pending requests and bodies fail. */
  close(): void {
    this.connection.close('closed by the visitor')
  }
}
