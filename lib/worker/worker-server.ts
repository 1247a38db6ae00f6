import { createVirtualServer, type VirtualServer } from '../vserver/app'
import type { AuthorError } from '../vserver/modules'
import { errorPage } from '../vserver/static'
import type { VResponse } from '../vserver/types'
import { createViewRenderer } from '../vserver/views'
import { HeaderListSchema } from '../../shared/protocol/heads'
import { PageMessageSchema, toTransferable, type PageMessage, type WorkerMessage } from './protocol'
import { createDatabaseProxy, createFileStoreProxy, createSessionStoreProxy, type FileStoreProxy } from './proxies'
import { DbReadCache } from './db-cache'
import { RpcClient } from './rpc-client'
import { errorMessage } from '../../shared/error-message'

/** The worker's side of the channel: `self` in a dedicated worker, a MessagePort in tests. */
export interface WorkerPort {
  postMessage(message: unknown, transfer: Transferable[]): void
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
}

type Post = (message: WorkerMessage, transfer?: Transferable[]) => void
type RequestMessage = Extract<PageMessage, { type: 'request' }>
const encoder = new TextEncoder()

/** Stream chunks leave as bytes: a handler's stream may yield strings too. */
function chunkBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk
  if (typeof chunk === 'string') return encoder.encode(chunk)
  throw new TypeError(`a response stream yielded ${typeof chunk}; yield bytes (Uint8Array) or strings`)
}

/** Runs a site's handlers for the page: answers `request`s, streams bodies on `pull`, asks the page for data by RPC. */
class WorkerServer {
  private server: VirtualServer | null = null
  private files: FileStoreProxy | null = null
  private dbCache: DbReadCache | null = null
  private readonly rpc: RpcClient
  private readonly aborts = new Map<number, AbortController>()
  private readonly streams = new Map<number, ReadableStreamDefaultReader<unknown>>()

  constructor(private readonly post: Post) {
    this.rpc = new RpcClient(message => post(message))
  }

  receive(data: unknown): void {
    const parsed = PageMessageSchema.safeParse(data)
    if (!parsed.success) {
      console.warn('[worker] refused a message from the page:', parsed.error.message)
      return
    }
    const message = parsed.data
    switch (message.type) {
      case 'init': return this.init(message)
      case 'request': return void this.serve(message)
      case 'abort': return this.aborts.get(message.id)?.abort(new DOMException('The visitor went away', 'AbortError'))
      case 'files-changed': return this.files?.changed(message.paths)
      case 'db-changed': return this.dbCache?.changed(message.collections)
      case 'pull': return void this.pull(message.id)
      case 'cancel': return this.cancel(message.id, message.reason)
      case 'rpc-result': return void this.rpc.settle(message.id, { value: message.value })
      case 'rpc-error': return void this.rpc.settle(message.id, { error: message.error })
      default: {
        const never: never = message
        throw new Error(`unhandled message ${JSON.stringify(never)}`)
      }
    }
  }

  private init(message: Extract<PageMessage, { type: 'init' }>): void {
    if (this.server) {
      console.warn('[worker] ignored a second init')
      return
    }
    const files = createFileStoreProxy(this.rpc, message.filesChange === true)
    this.files = files
    this.dbCache = message.dbChange === true ? new DbReadCache() : null
    this.server = createVirtualServer({
      files,
      db: message.db ? createDatabaseProxy(this.rpc, this.dbCache) : undefined,
      views: createViewRenderer(files),
      sessions: createSessionStoreProxy(this.rpc),
      secret: message.secret,
      log: entry => this.post({ type: 'log', entry }),
    })
  }

  private async serve(message: RequestMessage): Promise<void> {
    const { id, method, url, headers, body } = message
    const abort = new AbortController()
    this.aborts.set(id, abort)
    try {
      if (!this.server) throw new Error('a request arrived before init')
      const request = { method, url, headers, body: body ? new Uint8Array(body) : null, signal: abort.signal }
      this.respond(id, await this.server.handle(request))
    }
    catch (error) {
      // handle() answers every handler error itself: this is the runtime failing.
      this.post({ type: 'stray', error: strayError(error) })
      this.respond(id, errorPage(500, 'Internal Server Error'))
    }
    finally {
      this.aborts.delete(id)
    }
  }

  private respond(id: number, response: VResponse): void {
    const checked = HeaderListSchema.safeParse(response.headers)
    if (!checked.success) {
      // The page would refuse the message (and the tunnel the head): the visitor gets a 500, the author the reason.
      if (response.body instanceof ReadableStream) response.body.cancel().catch((error: unknown) => console.warn('[worker] cancelling a refused response failed:', error))
      const issue = checked.error.issues[0]
      const why = `${issue?.path.length ? `headers.${issue.path.join('.')} ` : ''}${issue?.message ?? 'invalid'}`
      this.post({ type: 'stray', error: { message: `A response's headers break the tunnel's limits (${why}); the visitor got a 500` } })
      return this.respond(id, errorPage(500, 'Internal Server Error'))
    }
    const { status, statusText, headers, body } = response
    if (body instanceof ReadableStream) {
      this.streams.set(id, body.getReader())
      this.post({ type: 'response', id, status, statusText, headers, body: null, stream: true })
      return
    }
    const bytes = body ? toTransferable(body) : null
    this.post({ type: 'response', id, status, statusText, headers, body: bytes, stream: false }, bytes ? [bytes] : [])
  }

  private async pull(id: number): Promise<void> {
    const reader = this.streams.get(id)
    if (!reader) return
    try {
      const { done, value } = await reader.read()
      if (done) {
        this.streams.delete(id)
        this.post({ type: 'end', id })
        return
      }
      const data = toTransferable(chunkBytes(value))
      this.post({ type: 'chunk', id, data }, [data])
    }
    catch (error) {
      this.streams.delete(id)
      reader.cancel(error).catch((reason: unknown) => console.warn('[worker] cancelling a failed stream failed:', reason))
      this.post({ type: 'stream-error', id, message: errorMessage(error) })
    }
  }

  private cancel(id: number, reason: string): void {
    const reader = this.streams.get(id)
    this.streams.delete(id)
    reader?.cancel(reason).catch((error: unknown) => console.warn('[worker] cancelling a response stream failed:', error))
  }
}

/** Serve a site's requests over `port` (the worker's global scope, or a MessagePort in tests). */
export function startWorker(port: WorkerPort): void {
  const server = new WorkerServer((message, transfer = []) => port.postMessage(message, transfer))
  port.addEventListener('message', event => server.receive(event.data))
}

const MODULE_URL = /data:text\/javascript;base64,[\w+/=]+|blob:[^\s)]+/g

/** An error thrown outside any request (a handler's stray timer), for the author's log; module URLs shortened. */
export function strayError(error: unknown): AuthorError {
  if (!(error instanceof Error)) return { message: `A non-Error value was thrown: ${String(error)}` }
  const short = (text: string) => text.replace(MODULE_URL, '<site module>')
  return { message: short(`${error.name}: ${error.message}`), ...(error.stack ? { stack: short(error.stack) } : {}) }
}

/** Report errors and rejections nobody handled to the page, instead of letting them look like a crashed worker. */
export function watchStrayErrors(scope: { addEventListener(type: string, listener: (event: Event) => void): void }, post: (message: WorkerMessage) => void): void {
  scope.addEventListener('error', (event) => {
    event.preventDefault()
    const error: unknown = Reflect.get(event, 'error')
    const message: unknown = Reflect.get(event, 'message')
    post({ type: 'stray', error: error === undefined && typeof message === 'string' ? { message } : strayError(error) })
  })
  scope.addEventListener('unhandledrejection', (event) => {
    event.preventDefault()
    const reason: unknown = Reflect.get(event, 'reason')
    post({ type: 'stray', error: strayError(reason) })
  })
}
