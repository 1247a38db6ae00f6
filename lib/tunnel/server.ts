import { decodeHead, encodeHead, FrameError, FrameType, RequestHeadSchema, ResetCode, type Frame, type RequestHead, type ResponseHead } from '../../shared/protocol/frames'
import { TunnelConnection, type TunnelOptions } from './connection'
import { DEFAULT_WINDOW, IncomingBody } from './incoming'
import { OutgoingBody } from './outgoing'
import type { Transport } from './transport'

/** A request as the host's handler gets it. */
export interface TunnelRequest {
  head: RequestHead
  body: ReadableStream<Uint8Array>
  /** Aborted when the visitor cancels or the connection is lost. */
  signal: AbortSignal
}

/** What a handler answers. */
export interface TunnelReply {
  head: ResponseHead
  body: Uint8Array | ReadableStream<Uint8Array> | null
}

/** Options of the host's end. */
export interface TunnelServerOptions extends TunnelOptions {
  /** Largest request body accepted, in bytes (default 64 MiB). */
  maxBodyBytes?: number
}

const encoder = new TextEncoder()

/** The host's end of a tunnel: runs `handler` for each request stream, many at once. */
export class TunnelServer {
  private readonly connection: TunnelConnection
  private readonly window: number
  private readonly maxBodyBytes: number

  constructor(transport: Transport, private readonly handler: (request: TunnelRequest) => Promise<TunnelReply>, options: TunnelServerOptions = {}) {
    this.window = options.window ?? DEFAULT_WINDOW
    this.maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024
    this.connection = new TunnelConnection(transport, frame => this.open(frame), options)
  }

  /** Close the tunnel; running handlers see their signal abort. */
  close(): void {
    this.connection.close('closed by the host')
  }

  private open(frame: Frame): void {
    const { connection } = this
    if (frame.type !== FrameType.HEAD) return // a late frame of a finished or reset stream
    const id = frame.stream
    let head: RequestHead
    try {
      head = decodeHead(frame.head, RequestHeadSchema)
    }
    catch (error) {
      connection.reset(id, ResetCode.PROTOCOL, error instanceof FrameError ? error.message : 'bad request head')
      return
    }
    const controller = new AbortController()
    const outgoing = new OutgoingBody(id, connection.sender, this.window)
    const incoming = new IncomingBody(id, connection.sender, this.window)
    const fail = (error: Error) => {
      incoming.fail(error)
      outgoing.abort(error)
      controller.abort(error)
    }
    connection.streams.set(id, {
      lost: fail,
      frame: (next) => {
        if (next.type === FrameType.DATA) {
          if (incoming.size + next.data.byteLength > this.maxBodyBytes) {
            connection.reset(id, ResetCode.TOO_LARGE, `request body over ${this.maxBodyBytes} bytes`)
            fail(new Error('request body too large'))
          }
          else if (!incoming.push(next.data)) {
            connection.reset(id, ResetCode.PROTOCOL, 'flow-control window exceeded')
            fail(new Error('the visitor overran the flow-control window'))
          }
        }
        else if (next.type === FrameType.END) incoming.end()
        else if (next.type === FrameType.WINDOW) outgoing.addCredit(next.credit)
        else if (next.type === FrameType.RESET) {
          connection.streams.delete(id)
          fail(new Error(`the visitor reset the request: ${next.reason || `code ${next.code}`}`))
        }
        else {
          connection.reset(id, ResetCode.PROTOCOL, 'a second HEAD on one stream')
          fail(new Error('protocol error: a second HEAD on one stream'))
        }
      },
    })
    void this.respond(id, { head, body: incoming.stream, signal: controller.signal }, outgoing)
  }

  private async respond(id: number, request: TunnelRequest, outgoing: OutgoingBody): Promise<void> {
    const { connection } = this
    let reply: TunnelReply
    try {
      reply = await this.handler(request)
    }
    catch (error) {
      console.error('[tunnel] handler failed:', error)
      reply = { head: { status: 500, headers: [['content-type', 'text/plain; charset=utf-8']] }, body: encoder.encode('Internal Server Error') }
    }
    if (request.signal.aborted || !connection.streams.has(id)) {
      if (reply.body instanceof ReadableStream) await reply.body.cancel().catch(() => undefined)
      return
    }
    connection.sender.send({ type: FrameType.HEAD, stream: id, head: encodeHead(reply.head) })
    try {
      await outgoing.send(reply.body)
      connection.streams.delete(id)
    }
    catch (error) {
      if (connection.streams.has(id)) {
        console.error('[tunnel] response body failed:', error)
        connection.reset(id, ResetCode.INTERNAL, 'the response body failed')
      }
    }
  }
}
