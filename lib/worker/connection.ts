import type { RequestLog } from '../vserver/app'
import type { AuthorError } from '../vserver/modules'
import type { VRequest, VResponse } from '../vserver/types'
import { timeoutPage, unavailablePage, seconds } from './pages'
import { MAX_CHANGED_PATHS, toTransferable, WorkerMessageSchema, type PageMessage, type WorkerMessage } from './protocol'
import { RpcBudget, rpcLimits, type RpcLimits } from './rpc-limits'
import { answerRpc, toFailure, type SiteData } from './rpc-server'
import { IncomingStreams } from './stream-in'

/** What the pool needs of a Worker (a real one, or an in-process fake in tests). */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: Event) => void): void
  terminate(): void
}

/** Where a connection reports: request log entries, problems, and that its worker must go. */
export interface ConnectionEvents {
  log(entry: RequestLog): void
  warn(message: string, error?: AuthorError): void
  /** The worker is stuck (a request timed out) or crashed: terminate it and start another. */
  retire(connection: WorkerConnection, why: string): void
}

interface Pending { request: VRequest, started: number, resolve: (response: VResponse) => void, done: () => void }

/** One worker and the requests in flight on it. Every request's promise resolves, never rejects. */
export class WorkerConnection {
  private nextId = 0
  private readonly pending = new Map<number, Pending>()
  private readonly streams: IncomingStreams
  private readonly budget: RpcBudget
  private closed = false
  private readonly stopFiles: (() => void) | null
  private readonly stopDb: (() => void) | null

  constructor(
    private readonly worker: WorkerLike,
    private readonly site: SiteData,
    private readonly events: ConnectionEvents,
    secret: string | Uint8Array,
    private readonly limits: Required<RpcLimits> = rpcLimits(),
  ) {
    this.budget = new RpcBudget(limits)
    // A streamed body's handler may still call for data: its request is in flight until the body is over.
    this.streams = new IncomingStreams(message => this.send(message), id => this.budget.close(id))
    worker.addEventListener('message', event => this.receive(Reflect.get(event, 'data')))
    worker.addEventListener('error', (event) => {
      const message: unknown = Reflect.get(event, 'message')
      events.retire(this, `the worker crashed${typeof message === 'string' && message ? `: ${message}` : ''}`)
    })
    worker.addEventListener('messageerror', () => events.warn('[worker] a message from the worker could not be read'))
    // Told of every change to the files (before any later request on this port), the worker keeps what it learnt of them.
    this.stopFiles = site.files.onChange?.(paths => this.send({ type: 'files-changed', paths: paths.length > MAX_CHANGED_PATHS ? null : paths })) ?? null
    // Told of every change to the database while it happens (ahead of the answer to a write), the worker keeps answers about the rest.
    this.stopDb = site.db?.onChange?.((changes) => {
      const collections = [...new Set(changes.map(change => change.collection))]
      this.send({ type: 'db-changed', collections: collections.length > MAX_CHANGED_PATHS ? null : collections })
    }) ?? null
    this.send({
      type: 'init',
      secret: typeof secret === 'string' ? secret : new Uint8Array(secret),
      db: site.db !== undefined,
      filesChange: this.stopFiles !== null,
      dbChange: this.stopDb !== null,
    })
  }

  /** Run a request on this worker; past `timeoutMs` it answers 504 and retires the worker. */
  request(request: VRequest, timeoutMs: number): Promise<VResponse> {
    const id = this.nextId++
    return new Promise((resolve) => {
      const onAbort = () => this.send({ type: 'abort', id })
      const timer = setTimeout(() => this.timeOut(id, timeoutMs), timeoutMs)
      const done = () => {
        clearTimeout(timer)
        request.signal?.removeEventListener('abort', onAbort)
      }
      this.pending.set(id, { request, started: performance.now(), resolve, done })
      this.budget.open(id)
      request.signal?.addEventListener('abort', onAbort, { once: true })
      const body = request.body ? toTransferable(request.body) : null
      this.send({ type: 'request', id, method: request.method, url: request.url, headers: request.headers, body }, body ? [body] : [])
    })
  }

  /** Stop the worker; requests still in flight get a 503 (the caller may retry them), open streams an error. */
  terminate(why: string): void {
    if (this.closed) return
    this.closed = true
    this.stopFiles?.()
    this.stopDb?.()
    this.worker.terminate()
    this.streams.failAll(new Error(`the site's worker stopped: ${why}`))
    for (const id of [...this.pending.keys()]) this.finish(id, unavailablePage(), { message: `Stopped: ${why}` })
  }

  private timeOut(id: number, limitMs: number): void {
    const why = `a request ran longer than ${seconds(limitMs)}`
    this.finish(id, timeoutPage(limitMs), { message: `The handler took longer than ${seconds(limitMs)}; its worker was stopped and replaced` })
    this.events.retire(this, why)
  }

  /** Answer a request the worker did not answer itself, and log it. */
  private finish(id: number, response: VResponse, error: AuthorError): void {
    const pending = this.take(id)
    if (!pending) return
    this.budget.close(id)
    const { request, started } = pending
    this.events.log({ method: request.method, url: request.url, status: response.status, durationMs: performance.now() - started, console: [], error })
    pending.resolve(response)
  }

  private take(id: number): Pending | undefined {
    const pending = this.pending.get(id)
    this.pending.delete(id)
    pending?.done()
    return pending
  }

  private send(message: PageMessage, transfer: Transferable[] = []): void {
    if (!this.closed) this.worker.postMessage(message, transfer)
  }

  private receive(data: unknown): void {
    const parsed = WorkerMessageSchema.safeParse(data)
    if (!parsed.success) {
      this.events.warn(`[worker] refused a message from the worker: ${parsed.error.issues[0]?.message ?? parsed.error.message}`)
      return
    }
    this.dispatch(parsed.data)
  }

  private dispatch(message: WorkerMessage): void {
    switch (message.type) {
      case 'response': return this.respond(message)
      case 'chunk': return void this.streams.chunk(message.id, message.data)
      case 'end': return void this.streams.end(message.id)
      case 'stream-error': return void this.streams.fail(message.id, new Error(message.message))
      case 'rpc': return void this.answer(message.id, message.call)
      case 'log': return this.events.log(message.entry)
      case 'stray': return this.events.warn('A handler failed after answering', message.error)
      default: {
        const never: never = message
        this.events.warn(`[worker] unhandled message ${JSON.stringify(never)}`)
      }
    }
  }

  private respond(message: Extract<WorkerMessage, { type: 'response' }>): void {
    const pending = this.take(message.id)
    if (!pending) return this.events.warn(`[worker] a response for request ${message.id}, which is not waiting`)
    const { status, statusText, headers } = message
    const body = message.stream ? this.streams.create(message.id) : message.body && new Uint8Array(message.body)
    if (!message.stream) this.budget.close(message.id)
    pending.resolve({ status, ...(statusText === undefined ? {} : { statusText }), headers, body })
  }

  private async answer(id: number, call: Extract<WorkerMessage, { type: 'rpc' }>['call']): Promise<void> {
    const refused = this.budget.begin(call)
    if (refused) return this.send({ type: 'rpc-error', id, error: { name: 'RpcLimitError', message: refused } })
    try {
      const { value, transfer } = await answerRpc(call, this.site, this.limits)
      this.send({ type: 'rpc-result', id, value }, transfer)
    }
    catch (error) {
      this.send({ type: 'rpc-error', id, error: toFailure(error) })
    }
    finally {
      this.budget.done()
    }
  }
}
