import { ResetCode } from '../../shared/protocol/frame-types'

/** Why a request or a stream failed. */
export type TunnelErrorCode =
  /** The transport closed, or `close()` was called: every stream fails. */
  | 'closed'
  /** The peer reset the stream (see `resetCode`). */
  | 'reset'
  /** This side gave up: the signal aborted or the body was cancelled. */
  | 'aborted'
  /** The peer broke the protocol (bad head, window overrun); the stream was reset. */
  | 'protocol'

/** The error a tunnel request, body or handler signal fails with. */
export class TunnelError extends Error {
  readonly code: TunnelErrorCode
  /** The RESET code, when the peer reset the stream. */
  readonly resetCode: number | undefined

  constructor(code: TunnelErrorCode, message: string, options: { resetCode?: number, cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.name = 'TunnelError'
    this.code = code
    this.resetCode = options.resetCode
  }
}

/** `value` as an Error, for rejecting with whatever a body stream or handler threw. */
export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value))
}

/** The HTTP status a visitor shows for a host's RESET code; anything else is 503 (the host did not answer). */
const STATUS_OF_RESET: Partial<Record<number, number>> = {
  [ResetCode.TIMEOUT]: 408,
  [ResetCode.TOO_LARGE]: 413,
  [ResetCode.REFUSED_STREAM]: 429,
  [ResetCode.OVERLOADED]: 429,
}

/** The HTTP status for a request that failed with `error` before its response head: 408, 413, 429 for the host's limits, else 503. */
export function httpStatusOf(error: unknown): number {
  const code = error instanceof TunnelError && error.code === 'reset' ? error.resetCode : undefined
  return (code === undefined ? undefined : STATUS_OF_RESET[code]) ?? 503
}
