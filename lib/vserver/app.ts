import type { Database } from './db'
import { beginCapture, createEvent, endCapture, installGlobals, MemorySessionStore, runCaptured, SessionSigner, toResponse, visitorError } from './event'
import type { ConsoleLine, EventSite, SessionStore } from './event'
import type { FileStore } from './files'
import { describeError, loadRouteHandler, ModuleLoader, type AuthorError, type ImportModule, type ModuleUrl } from './modules'
import { createRouteTableLoader, type RouteDef, type RouteTable } from './routes'
import { errorPage, notFound, serveStatic } from './static'
import type { VRequest, VResponse } from './types'
import type { ViewRenderer } from './views'

/** One answered request, for the author's request log. */
export interface RequestLog {
  method: string
  url: string
  status: number
  /** ms from receiving the request to having the response (not to the end of a streamed body). */
  durationMs: number
  /** The route file that answered; none for static files and 404s. */
  route?: string
  /** What the handler logged with `console.*`. */
  console: ConsoleLine[]
  /** Why the visitor got a 5xx: message, stack in site paths, file and line. */
  error?: AuthorError
}

/** Options of `createVirtualServer`. */
export interface VirtualServerOptions {
  files: FileStore
  db?: Database
  views?: ViewRenderer
  /** Where session data lives (default: in memory, lost when the realm ends). */
  sessions?: SessionStore
  /** Per-site secret signing session cookies, at least 16 bytes. */
  secret: string | Uint8Array
  /** Called once per request, after the response is ready. */
  log?: (entry: RequestLog) => void
  /** How module URLs are imported (default: `import()`). */
  importModule?: ImportModule
  /** How compiled modules get URLs (default `data:`; blob: URLs are smaller in browsers). */
  moduleUrl?: ModuleUrl
  /** Install the helpers on globalThis (default true; one site per realm). */
  installGlobals?: boolean
}

/** A site's server: turns requests into responses. */
export interface VirtualServer {
  handle(request: VRequest): Promise<VResponse>
  /** The current route table (for the studio's route list). */
  routes(): Promise<RouteTable>
}

interface Outcome { response: VResponse, route?: RouteDef, error?: AuthorError }

/**
 * A virtual server for a site: static files from `public/` first (GET/HEAD),
 * then `routes/**.js` handlers, then the site's 404. Handlers run in this
 * realm: run it in a Worker. A thrown `createError` gives its status; any other
 * throw gives the visitor a plain 500 and the author the details in `log`.
 */
export function createVirtualServer(options: VirtualServerOptions): VirtualServer {
  const { files } = options
  const site: EventSite = { sessions: options.sessions ?? new MemorySessionStore(), signer: new SessionSigner(options.secret) }
  const loader = new ModuleLoader(files, { importModule: options.importModule, moduleUrl: options.moduleUrl })
  const routes = createRouteTableLoader(files)
  if (options.installGlobals !== false) installGlobals({ db: options.db, views: options.views })

  async function runRoute(request: VRequest, route: RouteDef, params: Record<string, string>, capture: ReturnType<typeof beginCapture>): Promise<Outcome> {
    try {
      const event = createEvent(request, params, site)
      const handler = await loadRouteHandler(loader, route.file)
      const value: unknown = await runCaptured(capture, () => handler(event))
      if (value instanceof Error) throw value
      return { response: toResponse(event, value), route }
    }
    catch (error) {
      const { response, forAuthor } = visitorError(error, request)
      return { response, route, error: forAuthor ? describeError(error, loader, route.file) : undefined }
    }
  }

  async function dispatch(request: VRequest, capture: ReturnType<typeof beginCapture>): Promise<Outcome> {
    const method = request.method.toUpperCase()
    const file = await serveStatic(files, request)
    if (file) return { response: file }
    const match = (await routes()).match(method, request.url.split(/[?#]/)[0] ?? '/')
    if (match.kind === 'route') return runRoute(request, match.route, match.params, capture)
    if (match.kind === 'none') return { response: await notFound(files, request) }
    const response = errorPage(405, 'Method Not Allowed')
    return { response: { ...response, headers: [...response.headers, ['allow', match.allow.join(', ')]] } }
  }

  async function handle(request: VRequest): Promise<VResponse> {
    const started = performance.now()
    const capture = beginCapture()
    let outcome: Outcome
    try {
      outcome = await dispatch(request, capture)
    }
    catch (error) {
      const { response, forAuthor } = visitorError(error, request)
      outcome = { response, error: forAuthor ? describeError(error, loader) : undefined }
    }
    finally {
      endCapture(capture)
    }
    const { response, route, error } = outcome
    report(options.log, {
      method: request.method, url: request.url, status: response.status, durationMs: performance.now() - started,
      ...(route ? { route: route.file } : {}), console: capture.result(), ...(error ? { error } : {}),
    })
    return request.method.toUpperCase() === 'HEAD' ? withoutBody(response) : response
  }

  return { handle, routes }
}

/** Hand an entry to the log callback; a broken callback must not cost the visitor the response. */
function report(log: VirtualServerOptions['log'], entry: RequestLog): void {
  try {
    log?.(entry)
  }
  catch (error) {
    console.error('[vserver] the request log callback threw:', error)
  }
}

/** HEAD: the GET response's status and headers, no body (a stream is cancelled, not read). */
function withoutBody(response: VResponse): VResponse {
  if (response.body instanceof ReadableStream) {
    response.body.cancel().catch((error: unknown) => console.warn('[vserver] cancelling a HEAD response body failed:', error))
  }
  return { ...response, body: null }
}
