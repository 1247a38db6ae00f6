import { ResetCode } from '../../shared/protocol/frames'

// What one visitor connection, and all of a host tab's connections together,
// may make the host hold. PROTOCOL.md, "Limits", documents the RESET codes.

/** Default largest request body, in bytes. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024
/** Default most requests one visitor connection may have in progress at once (HTTP/2's SETTINGS_MAX_CONCURRENT_STREAMS). */
export const DEFAULT_MAX_CONCURRENT_STREAMS = 100
/** Default most request-body bytes the host holds for one visitor connection's requests in progress: two largest bodies. */
export const DEFAULT_MAX_CONNECTION_BODY_BYTES = 2 * DEFAULT_MAX_BODY_BYTES
/** Default most request-body bytes the host holds for all its connections together. */
export const DEFAULT_MAX_HOST_BODY_BYTES = 4 * DEFAULT_MAX_BODY_BYTES
/** Default time from a request's HEAD to its END; a 64 MiB body needs about 1.1 MB/s. */
export const DEFAULT_REQUEST_DEADLINE_MS = 60_000
/**
 * Default most frames other than DATA (heads, END, RESET, WINDOW) one end
 * keeps queued for a peer that does not read: 100 streams in progress need a
 * few each, and a burst of refused HEADs one RESET each; 4096 is ten times
 * what a page of 100 requests and 300 refusals queues.
 */
export const DEFAULT_MAX_QUEUED_CONTROL_FRAMES = 4096
/** Default most bytes of those frames: the most a data channel itself may hold (MAX_HIGH_WATER), so 100 heads of 80 KiB fit. */
export const DEFAULT_MAX_QUEUED_CONTROL_BYTES = 8 * 1024 * 1024

/**
 * A count of request-body bytes held, with a ceiling. One per connection,
 * and one the host tab shares between all its connections.
 */
export class BodyBudget {
  private held = 0
  private highest = 0

  constructor(readonly limit: number) {
    if (!(limit >= 0)) throw new RangeError('a body budget must be a number of bytes')
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.held
  }

  /** The most bytes held at once so far. */
  get peak(): number {
    return this.highest
  }

  /** Hold `bytes` more, or nothing and false when that would pass the limit. */
  take(bytes: number): boolean {
    if (this.held + bytes > this.limit) return false
    this.held += bytes
    this.highest = Math.max(this.highest, this.held)
    return true
  }

  /** Give back `bytes` taken before. */
  release(bytes: number): void {
    this.held = Math.max(0, this.held - bytes)
  }
}

/** Why a request was refused: the RESET code and its reason. */
export interface Refusal {
  code: number
  reason: string
}

/**
 * What one request holds of the budgets: every body byte it received, from
 * its first DATA until it is done (answered and sent, or reset). A handler
 * that collects the body (the host's does) keeps all of it that long.
 */
export class BodyAllowance {
  private held = 0
  private released = false

  constructor(private readonly maxBodyBytes: number, private readonly budgets: readonly BodyBudget[]) {}

  /** Count `bytes` more of the body; a refusal takes nothing. */
  take(bytes: number): Refusal | null {
    if (this.released) return null
    if (this.held + bytes > this.maxBodyBytes) return { code: ResetCode.TOO_LARGE, reason: `the request body is over ${this.maxBodyBytes} bytes` }
    const taken: BodyBudget[] = []
    for (const budget of this.budgets) {
      if (!budget.take(bytes)) {
        for (const done of taken) done.release(bytes)
        return { code: ResetCode.OVERLOADED, reason: `too many request bytes in progress at once (limit ${budget.limit})` }
      }
      taken.push(budget)
    }
    this.held += bytes
    return null
  }

  /** The request is done: give everything back, once. */
  release(): void {
    if (this.released) return
    this.released = true
    for (const budget of this.budgets) budget.release(this.held)
    this.held = 0
  }
}
