import { createEvent, MemorySessionStore, SessionSigner, type SessionStore, type VEvent } from '../../../../../lib/vserver/event'
import type { HeaderList } from '../../../../../lib/vserver/types'

export const SECRET = 'a test secret of enough bytes'

/** Options of `makeEvent`: a request, and the site around it. */
export interface EventInit {
  method?: string
  url?: string
  headers?: HeaderList
  body?: string | Uint8Array | null
  params?: Record<string, string>
  sessions?: SessionStore
  secret?: string
}

/** An event for one request, as the server would make it. */
export function makeEvent(init: EventInit = {}): VEvent {
  const body = typeof init.body === 'string' ? new TextEncoder().encode(init.body) : init.body ?? null
  const request = { method: init.method ?? 'GET', url: init.url ?? '/', headers: init.headers ?? [], body }
  const site = { sessions: init.sessions ?? new MemorySessionStore(), signer: new SessionSigner(init.secret ?? SECRET) }
  return createEvent(request, init.params ?? {}, site)
}

/** Concatenate strings (UTF-8) and byte arrays. */
export function bytes(...chunks: Array<string | Uint8Array>): Uint8Array {
  const encoded = chunks.map(chunk => typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk)
  const out = new Uint8Array(encoded.reduce((total, chunk) => total + chunk.length, 0))
  let at = 0
  for (const chunk of encoded) {
    out.set(chunk, at)
    at += chunk.length
  }
  return out
}
