import type { HeaderList, VRequest } from '../types'
import { VServerError } from '../types'
import type { Session } from './session/session'
import type { SessionSigner } from './session/signer'
import type { SessionStore } from './session/store'

/** Per-request values handlers share; `params` holds the route's `[param]`s, decoded. */
export interface EventContext {
  params: Record<string, string>
  [key: string]: unknown
}

/** The event a route handler gets: the request, in h3's shape. The response is built through the helpers. */
export interface VEvent {
  /** Upper-case, e.g. `GET`. */
  readonly method: string
  /** Path and query as requested, e.g. `/posts/1?x=2`. */
  readonly path: string
  readonly url: URL
  /** Request headers. */
  readonly headers: Headers
  readonly context: EventContext
  /** Aborted when the visitor goes away. */
  readonly signal: AbortSignal | undefined
}

/** What a site gives every event: where sessions live and how their cookies are signed. */
export interface EventSite {
  sessions: SessionStore
  signer: SessionSigner
}

/** The response as the helpers build it. `status` null: the handler never set one. */
export interface ResponseState {
  status: number | null
  statusText: string | undefined
  headers: HeaderList
}

/** What the helpers keep per event, out of the handler's sight. */
export interface EventState {
  request: VRequest
  response: ResponseState
  site: EventSite
  body?: Promise<unknown>
  /** `useSession` by cookie name: one session per name and request. */
  sessions: Map<string, Promise<Session>>
}

const states = new WeakMap<VEvent, EventState>()

function requestHeaders(list: HeaderList): Headers {
  const headers = new Headers()
  for (const [name, value] of list) {
    try {
      headers.append(name, value)
    }
    catch (error) {
      throw new VServerError(400, `Invalid request header ${JSON.stringify(name)}: ${String(error)}`)
    }
  }
  return headers
}

function requestUrl(request: VRequest, headers: Headers): URL {
  if (!request.url.startsWith('/')) throw new VServerError(400, `The request URL must start with '/': ${request.url}`)
  const host = headers.get('host') ?? ''
  // Prefixing (rather than `new URL(url, base)`) keeps `//evil.example/x` a path on this site.
  return new URL(`http://${/^[\w.-]+(?::\d+)?$/.test(host) ? host : 'localhost'}${request.url}`)
}

/** The event for one request to a route. Throws a 400 `VServerError` for a malformed request. */
export function createEvent(request: VRequest, params: Record<string, string>, site: EventSite): VEvent {
  const headers = requestHeaders(request.headers)
  const event: VEvent = {
    method: request.method.toUpperCase(),
    path: request.url,
    url: requestUrl(request, headers),
    headers,
    context: { params },
    signal: request.signal,
  }
  states.set(event, { request, response: { status: null, statusText: undefined, headers: [] }, site, sessions: new Map() })
  return event
}

/** The helpers' own state of an event; a clear TypeError when handed something else. */
export function stateOf(event: VEvent): EventState {
  const state = states.get(event)
  if (!state) throw new TypeError('expected the event your handler was called with, as in getQuery(event)')
  return state
}
