import type { RequestHead, ResponseHead } from '../../shared/protocol/frames'
import type { VRequest, VResponse } from '../vserver/types'
import { DEFAULT_MAX_BODY_BYTES } from '../tunnel/limits'
import { readBody } from '../tunnel/read-body'

/** Collect a request body stream, refusing more than `limit` bytes; null when it is empty. */
async function collect(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | null> {
  const bytes = await readBody(body, limit, 'request body')
  return bytes.byteLength === 0 ? null : bytes
}

/** Statuses whose responses have no content (RFC 9110 §6.4.1): they get no Content-Length. */
const NO_CONTENT = new Set([204, 304])

/**
 * The response's headers, with a Content-Length when its body is whole and
 * the handler gave none, as a real server sends one: the visitor's browser
 * knows the size, and the shell hands a small body over in one piece, not
 * streamed through a port.
 */
function withLength(response: VResponse): VResponse['headers'] {
  const { body, headers } = response
  if (!(body instanceof Uint8Array) || response.status < 200 || NO_CONTENT.has(response.status)) return headers
  if (headers.some(([name]) => name.toLowerCase() === 'content-length' || name.toLowerCase() === 'transfer-encoding')) return headers
  return [...headers, ['content-length', String(body.byteLength)]]
}

/** One served request, as the host's request log shows it. */
export interface RequestLogEntry {
  visitor: string
  method: string
  url: string
  status: number
  ms: number
}

/**
 * Adapt the virtual server (VRequest → VResponse) to the tunnel server's
 * handler shape, logging each request with its status and duration.
 */
export function tunnelHandler(
  handle: (request: VRequest) => Promise<VResponse>,
  visitor: string,
  log: (entry: RequestLogEntry) => void,
  bodyLimit = DEFAULT_MAX_BODY_BYTES,
) {
  return async (req: { head: RequestHead, body: ReadableStream<Uint8Array>, signal: AbortSignal }): Promise<{ head: ResponseHead, body: VResponse['body'] }> => {
    const started = performance.now()
    const body = await collect(req.body, bodyLimit)
    const response = await handle({ method: req.head.method, url: req.head.url, headers: req.head.headers, body, signal: req.signal, visitor })
    log({ visitor, method: req.head.method, url: req.head.url, status: response.status, ms: Math.round(performance.now() - started) })
    const head: ResponseHead = { status: response.status, headers: withLength(response) }
    if (response.statusText) head.statusText = response.statusText
    return { head, body: response.body }
  }
}
