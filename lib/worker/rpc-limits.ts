import type { RpcCall } from './rpc-schema'

// The handler worker's calls for files, database and sessions run on the
// studio's main thread, where the editor runs too. These bound what one
// request's handler can make that thread do.

/**
 * Default most calls one request may make: a page of 50 items that looks up
 * each one's author (N+1 queries) makes about 100, with its views' file
 * reads; ten times that. A handler that loops on the database stops here.
 */
export const DEFAULT_MAX_RPC_CALLS_PER_REQUEST = 1000
/** Default most calls being answered at once for one worker: many more than a page's requests need, a bound on a flood. */
export const DEFAULT_MAX_CONCURRENT_RPC_CALLS = 64
/** Default most documents one call may return or insert: a listing pages with `limit` and `skip` long before. */
export const DEFAULT_MAX_RPC_DOCUMENTS = 10_000
/** Default most bytes (as JSON) of the documents one call returns: 16 MiB, about 50 ms of the studio's thread to copy. */
export const DEFAULT_MAX_RPC_RESULT_BYTES = 16 * 1024 * 1024

/** Limits on the calls of one worker (defaults above). */
export interface RpcLimits {
  /** Calls one request may make, for as long as it is in flight (its streamed body included); default 1000. */
  maxCallsPerRequest?: number
  /** Calls being answered at once; default 64. */
  maxConcurrentCalls?: number
  /** Documents one call may return or insert; default 10,000. */
  maxDocuments?: number
  /** Bytes of the documents one call returns, measured as JSON; default 16 MiB. */
  maxResultBytes?: number
}

/** A call over a limit: the handler sees it thrown, the visitor a 500, the author this reason in the request log. */
export class RpcLimitError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RpcLimitError'
  }
}

function atLeast(min: number, name: string, value: number): number {
  if (!(value >= min)) throw new RangeError(`${name} must be at least ${min}`)
  return value
}

/** Limits with their defaults, checked. */
export function rpcLimits(limits: RpcLimits = {}): Required<RpcLimits> {
  return {
    maxCallsPerRequest: atLeast(1, 'maxCallsPerRequest', limits.maxCallsPerRequest ?? DEFAULT_MAX_RPC_CALLS_PER_REQUEST),
    maxConcurrentCalls: atLeast(1, 'maxConcurrentCalls', limits.maxConcurrentCalls ?? DEFAULT_MAX_CONCURRENT_RPC_CALLS),
    maxDocuments: atLeast(1, 'maxDocuments', limits.maxDocuments ?? DEFAULT_MAX_RPC_DOCUMENTS),
    maxResultBytes: atLeast(1024, 'maxResultBytes', limits.maxResultBytes ?? DEFAULT_MAX_RPC_RESULT_BYTES),
  }
}

/**
 * The calls of one worker, counted against the requests in flight on it.
 * A call does not say which request made it (the worker's code could say
 * anything), so it is charged to the oldest request in flight that has
 * calls left: with one request in flight, exactly its own; with several,
 * all of them together make at most their sum. A call while no request is
 * in flight (a timer a handler left behind) is refused.
 */
export class RpcBudget {
  /** Calls made, by request in flight, oldest first. */
  private readonly requests = new Map<number, number>()
  private running = 0

  constructor(private readonly limits: Required<RpcLimits>) {}

  /** Request `id` is in flight. */
  open(id: number): void {
    this.requests.set(id, 0)
  }

  /** Request `id` is done (answered, and its body sent, or failed). */
  close(id: number): void {
    this.requests.delete(id)
  }

  /** Start answering `call`: null, or why it is refused. Every accepted call must `done()`. */
  begin(call: RpcCall): string | null {
    const { maxCallsPerRequest, maxConcurrentCalls } = this.limits
    if (this.requests.size === 0) return `${call.method}: called while no request is in flight (a timer or promise a handler left behind?)`
    if (this.running >= maxConcurrentCalls) return `${call.method}: ${maxConcurrentCalls} calls to the site's data are running at once (limit ${maxConcurrentCalls})`
    for (const [id, calls] of this.requests) {
      if (calls >= maxCallsPerRequest) continue
      this.requests.set(id, calls + 1)
      this.running++
      return null
    }
    return `${call.method}: the request made more than ${maxCallsPerRequest} calls to the site's data (limit ${maxCallsPerRequest})`
  }

  /** A call begun is answered. */
  done(): void {
    this.running--
  }
}
