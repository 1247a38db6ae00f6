/** Header list as it travels on the wire: lower-case names, repeated names allowed (Set-Cookie). */
export type HeaderList = Array<[name: string, value: string]>

/** A request as the virtual server sees it. `url` is the path and query, e.g. `/posts/1?x=2`. */
export interface VRequest {
  method: string
  url: string
  headers: HeaderList
  /** The whole request body, or null for none. */
  body: Uint8Array | null
  /** Aborted when the visitor goes away or cancels the request. */
  signal?: AbortSignal
  /** The tunnel session it came over (the host's live channel and roster use it; site code never sees it). */
  visitor?: string
}

/** A response from the virtual server. A stream body is sent as it is produced (SSE, large files). */
export interface VResponse {
  status: number
  statusText?: string
  headers: HeaderList
  body: Uint8Array | ReadableStream<Uint8Array> | null
}

/** An error a handler or the runtime throws; the adapter turns it into a response with `status`. */
export class VServerError extends Error {
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.name = 'VServerError'
    this.status = status
  }
}
