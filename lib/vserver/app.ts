import type { Database } from './db'
import { beginCapture, createEvent, endCapture, installGlobals, MemorySessionStore, runCaptured, SessionSigner, toResponse, visitorError } from './event'
import type { ConsoleCapture, ConsoleLine, EventSite, SessionStore } from './event'
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

class SiteServer implements VirtualServer {
  private readonly site: EventSite
  private readonly loader: ModuleLoader
  readonly routes: () => Promise<RouteTable>

  constructor(private readonly options: VirtualServerOptions) {
    this.site = { sessions: options.sessions ?? new MemorySessionStore(), signer: new SessionSigner(options.secret) }
    this.loader = new ModuleLoader(options.files, { importModule: options.importModule, moduleUrl: options.moduleUrl })
    this.routes = createRouteTableLoader(options.files)
    // Callers hand `server.handle` around on its own (to a transport): keep `this`.
    this.handle = this.handle.bind(this)
  }

  async handle(request: VRequest): Promise<VResponse> {
    const started = performance.now()
    const capture = beginCapture()
    let outcome: Outcome
    try {
      outcome = await this.dispatch(request, capture)
    }
    catch (error) {
      const { response, forAuthor } = visitorError(error, request)
      outcome = { response, error: forAuthor ? describeError(error, this.loader) : undefined }
    }
    finally {
      endCapture(capture)
    }
    const { response, route, error } = outcome
    report(this.options.log, {
      method: request.method, url: request.url, status: response.status, durationMs: performance.now() - started,
      ...(route ? { route: route.file } : {}), console: capture.result(), ...(error ? { error } : {}),
    })
    return request.method.toUpperCase() === 'HEAD' ? withoutBody(response) : response
  }

  private async dispatch(request: VRequest, capture: ConsoleCapture): Promise<Outcome> {
    const { files } = this.options
    const file = await serveStatic(files, request)
    if (file) return { response: file }
    const match = (await this.routes()).match(request.method.toUpperCase(), request.url.split(/[?#]/)[0] ?? '/')
    if (match.kind === 'route') return this.runRoute(request, match.route, match.params, capture)
    if (match.kind === 'none') return { response: await notFound(files, request) }
    const response = errorPage(405, 'Method Not Allowed')
    return { response: { ...response, headers: [...response.headers, ['allow', match.allow.join(', ')]] } }
  }

  private async runRoute(request: VRequest, route: RouteDef, params: Record<string, string>, capture: ConsoleCapture): Promise<Outcome> {
    try {
      const event = createEvent(request, params, this.site)
      const handler = await loadRouteHandler(this.loader, route.file)
      const value: unknown = await runCaptured(capture, () => handler(event))
      if (value instanceof Error) throw value
      return { response: toResponse(event, value), route }
    }
    catch (error) {
      const { response, forAuthor } = visitorError(error, request)
      return { response, route, error: forAuthor ? describeError(error, this.loader, route.file) : undefined }
    }
  }
}

/**
 * A virtual server for a site: static files from `public/` first (GET/HEAD),
 * then `routes/**.js` handlers, then the site's 404. Handlers run in this
 * realm: run it in a Worker. A thrown `createError` gives its status; any other
 * throw gives the visitor a plain 500 and the author the details in `log`.
 */
export function createVirtualServer(options: VirtualServerOptions): VirtualServer {
  const server = new SiteServer(options)
  if (options.installGlobals !== false) installGlobals({ db: options.db, views: options.views })
  return server
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
