import { FrameError, FrameType, RequestHeadSchema, ResetCode, type Frame, type RequestHead } from '../../shared/protocol/frames'
import { TunnelConnection, type TunnelOptions } from './connection'
import type { TunnelError } from './errors'
import { DEFAULT_WINDOW } from './incoming'
import {
  BodyBudget, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_CONCURRENT_STREAMS, DEFAULT_MAX_CONNECTION_BODY_BYTES, DEFAULT_MAX_HOST_BODY_BYTES,
  DEFAULT_REQUEST_DEADLINE_MS,
} from './limits'
import { ServeStream, type ServeSettings, type TunnelHandler } from './serve-stream'
import type { Transport } from './transport'

export type { TunnelHandler, TunnelReply, TunnelRequest } from './serve-stream'
export { BodyBudget, DEFAULT_MAX_BODY_BYTES } from './limits'

/** Options of the host's end; the limits are per visitor connection unless they say otherwise. */
export interface TunnelServerOptions extends TunnelOptions {
  /** Largest request body accepted, in bytes (default 64 MiB); a longer one is reset with TOO_LARGE. */
  maxBodyBytes?: number
  /** Most requests in progress at once (default 100); a HEAD past it is reset with REFUSED_STREAM. */
  maxConcurrentStreams?: number
  /** Most request-body bytes held for requests in progress (default 128 MiB); DATA past it resets its stream with OVERLOADED. */
  maxConnectionBodyBytes?: number
  /**
   * The host tab's budget of request-body bytes, shared by all its tunnel
   * servers; DATA past it resets its stream with OVERLOADED (default: one of
   * 256 MiB for this server alone).
   */
  hostBudget?: BodyBudget
  /** Time from a request's HEAD to its END (default 60 s); past it the stream is reset with TIMEOUT. */
  requestDeadlineMs?: number
}

/** The announced Content-Length of `head`, or null. */
function contentLength(head: RequestHead): number | null {
  const value = head.headers.find(([name]) => name.toLowerCase() === 'content-length')?.[1]
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : null
}

function atLeast(min: number, name: string, value: number): number {
  if (!(value >= min)) throw new RangeError(`${name} must be at least ${min}`)
  return value
}

/** The host's end of a tunnel: runs `handler` for each request stream, many at once, within its limits. */
export class TunnelServer {
  /** Request-body bytes held for this connection's requests in progress. */
  readonly bodyBudget: BodyBudget
  private readonly connection: TunnelConnection<RequestHead>
  private readonly settings: ServeSettings
  private readonly maxStreams: number
  private active = 0
  /** The highest stream id a HEAD opened: ids only grow, so one number says which were used. */
  private lastStream = 0

  constructor(transport: Transport, private readonly handler: TunnelHandler, options: TunnelServerOptions = {}) {
    this.bodyBudget = new BodyBudget(atLeast(0, 'maxConnectionBodyBytes', options.maxConnectionBodyBytes ?? DEFAULT_MAX_CONNECTION_BODY_BYTES))
    this.maxStreams = atLeast(1, 'maxConcurrentStreams', options.maxConcurrentStreams ?? DEFAULT_MAX_CONCURRENT_STREAMS)
    this.settings = {
      window: options.window ?? DEFAULT_WINDOW,
      maxBodyBytes: atLeast(0, 'maxBodyBytes', options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES),
      requestDeadlineMs: atLeast(1, 'requestDeadlineMs', options.requestDeadlineMs ?? DEFAULT_REQUEST_DEADLINE_MS),
      budgets: [this.bodyBudget, options.hostBudget ?? new BodyBudget(DEFAULT_MAX_HOST_BODY_BYTES)],
    }
    this.connection = new TunnelConnection(transport, RequestHeadSchema, frame => this.open(frame), options)
  }

  /** Why the tunnel is closed, or null while it is open. */
  get error(): TunnelError | null {
    return this.connection.error
  }

  /** Requests in progress: from HEAD until the handler answered and the reply was sent, or the stream was reset. */
  get openStreams(): number {
    return this.active
  }

  /** Frames other than DATA waiting for the transport, and their bytes (bounded: past the limit the tunnel closes). */
  get queuedControl(): { frames: number, bytes: number } {
    return this.connection.sender.queuedControl
  }

  /** Close the tunnel and its transport; running handlers see their signal abort. */
  close(): void {
    this.connection.close('closed by the host')
  }

  /** A frame for a stream not open here: a HEAD opens one; anything else is late and dropped. */
  private open(frame: Frame<RequestHead>): void {
    if (frame.type !== FrameType.HEAD) return
    // Like HTTP/2: a reused id could be taken for the late frames of the stream it once was.
    if (frame.stream <= this.lastStream) {
      return this.connection.protocolError(new FrameError('bad-frame', `HEAD on stream ${frame.stream}, an id not above ${this.lastStream}: stream ids are never reused`))
    }
    this.lastStream = frame.stream
    const announced = contentLength(frame.head)
    const { maxBodyBytes } = this.settings
    if (announced !== null && announced > maxBodyBytes) {
      return this.connection.reset(frame.stream, ResetCode.TOO_LARGE, `the request body is over ${maxBodyBytes} bytes`)
    }
    // A handler that ignores its aborted signal still holds its place: the host is still working for it.
    if (this.active >= this.maxStreams) {
      return this.connection.reset(frame.stream, ResetCode.REFUSED_STREAM, `too many requests at once (limit ${this.maxStreams})`)
    }
    this.active++
    void new ServeStream(frame.stream, frame.head, this.connection, this.settings).serve(this.handler).then(() => {
      this.active--
    })
  }
}
