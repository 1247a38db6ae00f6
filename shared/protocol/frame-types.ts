import { MAX_HEAD_BYTES, type Head } from './heads'

// Constants and types of the data-channel framing (PROTOCOL.md, "Data-channel framing").

/** Frame types. */
export const FrameType = { HEAD: 1, DATA: 2, END: 3, RESET: 4, WINDOW: 5 } as const
/** A frame type number. */
export type FrameTypeNumber = typeof FrameType[keyof typeof FrameType]

/** Bytes of a frame header. */
export const FRAME_HEADER_BYTES = 9
/** Largest DATA payload (and of any frame but HEAD, whose limit is MAX_HEAD_BYTES). */
export const MAX_FRAME_PAYLOAD = 64 * 1024
/** Largest stream id (u32). Stream 0 is the connection itself: a RESET on it ends the tunnel. */
export const MAX_STREAM_ID = 0xFFFF_FFFF
/** Credit for DATA bytes each side has on a new stream before any WINDOW frame. */
export const INITIAL_WINDOW = 1024 * 1024

/** RESET codes (u16). */
export const ResetCode = {
  /** The sender no longer wants the stream (request aborted, body cancelled). */
  CANCEL: 1,
  /** The sender failed (e.g. a response body stream threw). */
  INTERNAL: 2,
  /** The peer broke the protocol (bad head, window overrun, frame out of order). */
  PROTOCOL: 3,
  /** The sender gave up waiting (the host: a request's head and body did not arrive in time). */
  TIMEOUT: 4,
  /** The sender is leaving; on stream 0 the whole tunnel ends. */
  GOING_AWAY: 5,
  /** The request body is over the host's limit. */
  TOO_LARGE: 6,
  /** The host refused a new stream: the connection has as many requests in progress as it may. Nothing of it was processed. */
  REFUSED_STREAM: 7,
  /** The host holds as many request-body bytes as it may, for this connection or for all of them. */
  OVERLOADED: 8,
} as const

/** One frame. `H` narrows the head a decoder accepts (request heads on the host, response heads on the visitor). */
export type Frame<H extends Head = Head> =
  | { type: typeof FrameType.HEAD, stream: number, head: H }
  | { type: typeof FrameType.DATA, stream: number, data: Uint8Array }
  | { type: typeof FrameType.END, stream: number }
  | { type: typeof FrameType.RESET, stream: number, code: number, reason: string }
  | { type: typeof FrameType.WINDOW, stream: number, credit: number }

/** What was wrong with refused bytes or a refused frame. */
export type FrameErrorCode = 'unknown-type' | 'too-long' | 'truncated' | 'bad-payload' | 'bad-head' | 'bad-frame'

/** Input the framing refuses. On receipt the connection is broken: it cannot resynchronise. */
export class FrameError extends Error {
  readonly code: FrameErrorCode
  constructor(code: FrameErrorCode, message: string) {
    super(message)
    this.name = 'FrameError'
    this.code = code
  }
}

/** A frame ready for the wire: its header fields and payload bytes. */
export interface WireFrame {
  type: FrameTypeNumber
  stream: number
  payload: Uint8Array
}

/** Largest payload a frame of `type` may carry. */
export function payloadLimit(type: number): number {
  return type === FrameType.HEAD ? MAX_HEAD_BYTES : MAX_FRAME_PAYLOAD
}
