import type { z } from 'zod'
import { VServerError } from '../vserver/types'
import type { RpcCall, RpcFailure } from './rpc-schema'
import type { WorkerMessage } from './protocol'

interface Waiting { resolve: (value: unknown) => void, reject: (error: Error) => void }

/** The worker's end of the RPC to the page: one promise per call, settled by `rpc-result` / `rpc-error`. */
export class RpcClient {
  private nextId = 0
  private readonly waiting = new Map<number, Waiting>()

  constructor(private readonly post: (message: WorkerMessage) => void) {}

  /** Call the page; the answer must match `result` (the method's entry in `RPC_RESULTS`). */
  call<S extends z.ZodType>(result: S, call: RpcCall): Promise<z.output<S>> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      const settle = (value: unknown) => {
        const parsed = result.safeParse(value)
        if (parsed.success) resolve(parsed.data)
        else reject(new Error(`${call.method}: the page's answer has the wrong shape (${parsed.error.message})`))
      }
      this.waiting.set(id, { resolve: settle, reject })
      try {
        this.post({ type: 'rpc', id, call })
      }
      catch (error) {
        this.waiting.delete(id)
        reject(cloneProblem(call.method, error))
      }
    })
  }

  /** Settle a call with the page's answer; false when no call has that id. */
  settle(id: number, outcome: { value: unknown } | { error: RpcFailure }): boolean {
    const waiting = this.waiting.get(id)
    if (!waiting) return false
    this.waiting.delete(id)
    if ('value' in outcome) waiting.resolve(outcome.value)
    else waiting.reject(fromFailure(outcome.error))
    return true
  }
}

/** The page's error as the handler sees it: a `VServerError` keeps its status (a database 400 stays a 400). */
function fromFailure(failure: RpcFailure): Error {
  const error = failure.status === undefined ? new Error(failure.message) : new VServerError(failure.status, failure.message)
  error.name = failure.name
  return error
}

/** A value postMessage cannot clone (a function, a class instance with private state): say so in the database's terms. */
function cloneProblem(method: string, error: unknown): Error {
  if (error instanceof Error && error.name === 'DataCloneError') {
    return new VServerError(400, `${method}: the value cannot be stored (${error.message}); use JSON data only`)
  }
  return error instanceof Error ? error : new Error(String(error))
}
