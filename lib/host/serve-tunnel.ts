import type { RequestHead, ResponseHead } from '../../shared/protocol/frames'
import type { VRequest, VResponse } from '../vserver/types'
import { DEFAULT_MAX_BODY_BYTES } from '../tunnel/limits'

/** Collect a request body stream, refusing more than `limit` bytes. */
async function collect(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | null> {
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel()
      throw new Error(`request body over ${limit} bytes`)
    }
    chunks.push(value)
  }
  if (size === 0) return null
  if (chunks.length === 1 && chunks[0]) return chunks[0]
  const all = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    all.set(chunk, offset)
    offset += chunk.byteLength
  }
  return all
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
    const head: ResponseHead = { status: response.status, headers: response.headers }
    if (response.statusText) head.statusText = response.statusText
    return { head, body: response.body }
  }
}
