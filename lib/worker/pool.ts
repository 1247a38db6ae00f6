import type { RequestLog } from '../vserver/app'
import type { Database } from '../vserver/db'
import { MemorySessionStore, type SessionStore } from '../vserver/event'
import type { FileStore } from '../vserver/files'
import type { AuthorError } from '../vserver/modules'
import { errorPage, serveStatic } from '../vserver/static'
import type { VRequest, VResponse } from '../vserver/types'
import { WorkerConnection, type WorkerLike } from './connection'
import { unavailablePage } from './pages'
import { rpcLimits, type RpcLimits } from './rpc-limits'
import { errorMessage } from '../../shared/error-message'

export type { WorkerLike } from './connection'

/** Default time a handler has to answer (the response head; a streamed body may run on). */
export const DEFAULT_TIMEOUT_MS = 5000

/** Options of `createWorkerServer`. */
export interface WorkerServerOptions {
  files: FileStore
  /** The site's database; it stays on the page and the worker calls it. */
  db?: Database
  /** Sessions stay on the page, so they outlive a replaced worker (default: in memory). */
  sessions?: SessionStore
  /** Signs session cookies, at least 16 bytes. */
  secret: string | Uint8Array
  timeoutMs?: number
  /** What one request's handler may make the page do for it: calls, concurrent calls, documents and bytes a call (defaults in rpc-limits.ts). */
  rpc?: RpcLimits
  /** Starts a worker running `entry.ts`; called again for each replacement. */
  createWorker: () => WorkerLike
  /** One entry per request, from the worker (console lines, author errors) or from the pool (static files, 504, 503). */
  log?: (entry: RequestLog) => void
  /** Problems outside a request: a crashed worker, a refused message, an error a handler left behind. */
  warn?: (message: string, error?: AuthorError) => void
}

/** A site's server whose handlers run in a Worker. */
export interface WorkerServer {
  handle(request: VRequest): Promise<VResponse>
  /** The limit for requests that start from now on. */
  setTimeoutMs(ms: number): void
  /** Sign session cookies with `secret` from now on (the worker is replaced: it holds the old one). */
  setSecret(secret: string | Uint8Array, why: string): void
  /** Retire the worker now (requests in flight get a 503); the next request starts a fresh one from `createWorker`. */
  replaceWorker(why: string): void
  /** Stop the worker; later requests get a 503. */
  destroy(): void
}

function checkTimeout(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`the handler time limit must be a positive number of ms, got ${ms}`)
  return ms
}

/**
 * Serve a site with its handlers in a dedicated worker: static files from the
 * page first (as `createVirtualServer` does, without a round trip), then the
 * worker, which calls back for files, database and sessions. A request past
 * the time limit gets a 504 and the worker is replaced; requests in flight on
 * it get a 503 (they may be retried). A crashed worker is replaced as well.
 * The replacement starts with the next request.
 */
export function createWorkerServer(options: WorkerServerOptions): WorkerServer {
  const site = { files: options.files, db: options.db, sessions: options.sessions ?? new MemorySessionStore() }
  const log = options.log ?? (() => {})
  const warn = options.warn ?? ((message: string, error?: AuthorError) => console.warn('[worker]', message, error ?? ''))
  let timeoutMs = checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS)
  const limits = rpcLimits(options.rpc)
  let secret = options.secret
  let current: WorkerConnection | null = null
  let destroyed = false

  const retire = (connection: WorkerConnection, why: string) => {
    if (connection === current) current = null
    warn(`The site's worker was replaced: ${why}`)
    connection.terminate(why)
  }

  const connection = (): WorkerConnection => {
    current ??= new WorkerConnection(options.createWorker(), site, { log, warn, retire }, secret, limits)
    return current
  }

  async function staticFile(request: VRequest, started: number): Promise<VResponse | null> {
    try {
      const response = await serveStatic(site.files, request)
      if (response) log({ method: request.method, url: request.url, status: response.status, durationMs: performance.now() - started, console: [] })
      return response
    }
    catch (error) {
      const message = errorMessage(error)
      log({ method: request.method, url: request.url, status: 500, durationMs: performance.now() - started, console: [], error: { message } })
      return errorPage(500, 'Internal Server Error')
    }
  }

  return {
    async handle(request) {
      const file = await staticFile(request, performance.now())
      if (file) return file
      if (destroyed) return unavailablePage()
      try {
        return await connection().request(request, timeoutMs)
      }
      catch (error) {
        // createWorker threw (a bad script URL, a browser without module workers).
        warn(`The site's worker could not start: ${errorMessage(error)}`)
        return unavailablePage()
      }
    },
    setTimeoutMs(ms) {
      timeoutMs = checkTimeout(ms)
    },
    replaceWorker(why) {
      if (current) retire(current, why)
    },
    setSecret(next, why) {
      if (next === secret) return
      secret = next
      if (current) retire(current, why)
    },
    destroy() {
      destroyed = true
      current?.terminate('the site stopped')
      current = null
    },
  }
}
