import { decodeHead, encodeHead, FrameType, ResetCode, ResponseHeadSchema, type Frame, type RequestHead, type ResponseHead } from '../../shared/protocol/frames'
import { TunnelConnection, type TunnelOptions } from './connection'
import { DEFAULT_WINDOW, IncomingBody } from './incoming'
import { OutgoingBody } from './outgoing'
import type { Transport } from './transport'

/** A response as the visitor gets it: the head, and the body as it streams in. */
export interface TunnelResponse {
  head: ResponseHead
  body: ReadableStream<Uint8Array>
}

/**
 * The visitor's end of a tunnel: many concurrent requests over one
 * transport, each a stream (odd ids), with bodies both ways.
 */
export class TunnelClient {
  private readonly connection: TunnelConnection
  private nextId = 1
  private readonly window: number

  constructor(transport: Transport, options: TunnelOptions = {}) {
    this.window = options.window ?? DEFAULT_WINDOW
    this.connection = new TunnelConnection(transport, (frame) => {
      // A frame for a stream we forgot (reset, finished): nothing to do.
      if (frame.type !== FrameType.RESET) console.debug('[tunnel] frame for unknown stream', frame.stream)
    }, options)
  }

  /** Send a request; resolves with the response head once it arrives. */
  request(head: RequestHead, body: Uint8Array | ReadableStream<Uint8Array> | null = null, signal?: AbortSignal): Promise<TunnelResponse> {
    const { connection } = this
    if (connection.error) return Promise.reject(connection.error)
    if (signal?.aborted) return Promise.reject(new Error('the request was aborted'))
    const id = this.nextId
    this.nextId += 2
    const outgoing = new OutgoingBody(id, connection.sender, this.window)
    const incoming = new IncomingBody(id, connection.sender, this.window, () => connection.reset(id, ResetCode.CANCEL, 'the reader cancelled'))
    return new Promise<TunnelResponse>((resolve, reject) => {
      let headed = false
      const fail = (error: Error) => {
        outgoing.abort(error)
        if (headed) incoming.fail(error)
        else reject(error)
      }
      const onAbort = () => {
        connection.reset(id, ResetCode.CANCEL, 'aborted')
        fail(new Error('the request was aborted'))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      connection.streams.set(id, {
        lost: fail,
        frame: (frame: Frame) => {
          if (frame.type === FrameType.HEAD && !headed) {
            try {
              const responseHead = decodeHead(frame.head, ResponseHeadSchema)
              headed = true
              resolve({ head: responseHead, body: incoming.stream })
            }
            catch (error) {
              connection.reset(id, ResetCode.PROTOCOL, 'bad response head')
              fail(error instanceof Error ? error : new Error(String(error)))
            }
          }
          else if (frame.type === FrameType.DATA && headed) {
            if (!incoming.push(frame.data)) {
              connection.reset(id, ResetCode.PROTOCOL, 'flow-control window exceeded')
              fail(new Error('the host overran the flow-control window'))
            }
          }
          else if (frame.type === FrameType.END && headed) {
            connection.streams.delete(id)
            signal?.removeEventListener('abort', onAbort)
            incoming.end()
          }
          else if (frame.type === FrameType.WINDOW) {
            outgoing.addCredit(frame.credit)
          }
          else if (frame.type === FrameType.RESET) {
            connection.streams.delete(id)
            fail(new Error(`the host reset the request: ${frame.reason || `code ${frame.code}`}`))
          }
          else {
            connection.reset(id, ResetCode.PROTOCOL, `unexpected frame type ${frame.type}`)
            fail(new Error(`protocol error: unexpected frame type ${frame.type}`))
          }
        },
      })
      connection.sender.send({ type: FrameType.HEAD, stream: id, head: encodeHead(head) })
      outgoing.send(body).catch((error: unknown) => {
        if (connection.streams.has(id)) connection.reset(id, ResetCode.CANCEL, 'request body failed')
        fail(error instanceof Error ? error : new Error(String(error)))
      })
    })
  }

  /** Close the tunnel; pending requests fail. */
  close(): void {
    this.connection.close('closed by the visitor')
  }
}
