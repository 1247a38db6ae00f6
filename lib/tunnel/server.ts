import { FrameType, RequestHeadSchema, ResetCode, type Frame, type RequestHead } from '../../shared/protocol/frames'
import { TunnelConnection, type TunnelOptions } from './connection'
import type { TunnelError } from './errors'
import { DEFAULT_WINDOW } from './incoming'
import { ServeStream, type TunnelHandler } from './serve-stream'
import type { Transport } from './transport'

export type { TunnelHandler, TunnelReply, TunnelRequest } from './serve-stream'

/** Default largest request body, in bytes. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024

/** Options of the host's end. */
export interface TunnelServerOptions extends TunnelOptions {
  /** Largest request body accepted, in bytes (default 64 MiB); a longer one is reset with TOO_LARGE. */
  maxBodyBytes?: number
}

/** The announced Content-Length of `head`, or null. */
function contentLength(head: RequestHead): number | null {
  const value = head.headers.find(([name]) => name.toLowerCase() === 'content-length')?.[1]
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : null
}

/** The host's end of a tunnel: runs `handler` for each request stream, many at once. */
export class TunnelServer {
  private readonly connection: TunnelConnection<RequestHead>
  private readonly settings: { window: number, maxBodyBytes: number }

  constructor(transport: Transport, private readonly handler: TunnelHandler, options: TunnelServerOptions = {}) {
    this.settings = { window: options.window ?? DEFAULT_WINDOW, maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES }
    this.connection = new TunnelConnection(transport, RequestHeadSchema, frame => this.open(frame), options)
  }

  /** Why the tunnel is closed, or null while it is open. */
  get error(): TunnelError | null {
    return this.connection.error
  }

  /** Close the tunnel and its transport; running handlers see their signal abort. */
  close(): void {
    this.connection.close('closed by the host')
  }

  /** A frame for a stream not open here: a HEAD opens one; anything else is late and dropped. */
  private open(frame: Frame<RequestHead>): void {
    if (frame.type !== FrameType.HEAD) return
    const announced = contentLength(frame.head)
    if (announced !== null && announced > this.settings.maxBodyBytes) {
      this.connection.reset(frame.stream, ResetCode.TOO_LARGE, `the request body is over ${this.settings.maxBodyBytes} bytes`)
      return
    }
    void new ServeStream(frame.stream, frame.head, this.connection, this.settings).serve(this.handler)
  }
}
