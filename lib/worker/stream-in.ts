import type { PageMessage } from './protocol'

interface Open { controller: ReadableStreamDefaultController<Uint8Array>, pulled: (() => void) | null }

/**
 * The page's side of streamed response bodies: one ReadableStream per
 * response, filled one `chunk` per `pull` it asks for, so a slow visitor
 * holds the handler back instead of filling the page's memory.
 */
export class IncomingStreams {
  private readonly open = new Map<number, Open>()

  constructor(
    private readonly send: (message: Extract<PageMessage, { type: 'pull' | 'cancel' }>) => void,
    /** Response `id`'s body is over: ended, failed or cancelled. */
    private readonly closed: (id: number) => void = () => {},
  ) {}

  /** The body of response `id`. */
  create(id: number): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.open.set(id, { controller, pulled: null })
      },
      pull: () => new Promise<void>((resolve) => {
        const entry = this.open.get(id)
        if (!entry) return resolve()
        entry.pulled = resolve
        this.send({ type: 'pull', id })
      }),
      cancel: (reason: unknown) => {
        this.open.delete(id)
        this.send({ type: 'cancel', id, reason: String(reason ?? 'cancelled') })
        this.closed(id)
      },
    })
  }

  chunk(id: number, data: ArrayBuffer): boolean {
    return this.settle(id, entry => entry.controller.enqueue(new Uint8Array(data)), false)
  }

  end(id: number): boolean {
    return this.settle(id, entry => entry.controller.close(), true)
  }

  fail(id: number, error: Error): boolean {
    return this.settle(id, entry => entry.controller.error(error), true)
  }

  /** Error every open stream (the worker is gone). */
  failAll(error: Error): void {
    for (const id of [...this.open.keys()]) this.fail(id, error)
  }

  private settle(id: number, act: (entry: Open) => void, last: boolean): boolean {
    const entry = this.open.get(id)
    if (!entry) return false
    if (last) this.open.delete(id)
    act(entry)
    if (last) this.closed(id)
    const pulled = entry.pulled
    entry.pulled = null
    pulled?.()
    return true
  }
}
