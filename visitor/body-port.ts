import { errorMessage } from '../shared/error-message'
// A response body from the visitor shell to its service worker over a
// MessagePort. A transferred ReadableStream would do the same, but it clones
// (copies) every chunk and answers each one with a message of its own; here
// chunks the shell owns are transferred, and credit comes back in steps.
//
// Shell → worker: { t: 'chunk', data } (the ArrayBuffer transferred when the
// chunk is all of it), { t: 'end' }, { t: 'error', message }.
// Worker → shell: { t: 'credit', bytes } as its reader consumes, { t: 'cancel' }.

/** Bytes the shell may send ahead of the worker's reader. */
export const BODY_PORT_WINDOW = 4 * 1024 * 1024

type ToWorker = { t: 'chunk', data: ArrayBuffer } | { t: 'end' } | { t: 'error', message: string }
type ToShell = { t: 'credit', bytes: number } | { t: 'cancel' }

/** The chunk as an ArrayBuffer that may be transferred: its own buffer when it spans all of it, else a copy. */
function ownBuffer(chunk: Uint8Array): ArrayBuffer {
  const { buffer } = chunk
  if (buffer instanceof ArrayBuffer && chunk.byteOffset === 0 && chunk.byteLength === buffer.byteLength) return buffer
  return chunk.slice().buffer
}

/**
 * Shell side: read `body` to its end and post it on `port`, never more than
 * `window` bytes ahead of what the worker's reader took. The worker cancelling
 * cancels `body`; `body` failing errors the worker's stream. Resolves when done.
 */
export async function sendBodyOverPort(body: ReadableStream<Uint8Array>, port: MessagePort, window = BODY_PORT_WINDOW): Promise<void> {
  const reader = body.getReader()
  let credit = window
  let cancelled = false
  let wake: (() => void) | null = null
  const signal = () => {
    const resolve = wake
    wake = null
    resolve?.()
  }
  const stop = (reason: string) => {
    cancelled = true
    reader.cancel(reason).catch(() => {})
  }
  port.onmessage = (event: MessageEvent<ToShell>) => {
    const message = event.data
    if (message?.t === 'credit' && Number.isFinite(message.bytes) && message.bytes > 0) credit += message.bytes
    else if (message?.t === 'cancel') stop('the page stopped reading the response')
    signal()
  }
  // Chromium tells a port that its other end went away (the worker stopped): stop reading.
  port.addEventListener('close', () => {
    stop('the service worker went away')
    signal()
  })
  const post = (message: ToWorker, transfer: Transferable[] = []) => port.postMessage(message, transfer)
  try {
    for (;;) {
      while (credit <= 0 && !cancelled) await new Promise<void>(resolve => (wake = resolve))
      if (cancelled) return
      const { done, value } = await reader.read()
      if (cancelled) return
      if (done) {
        post({ t: 'end' })
        return
      }
      if (value.byteLength === 0) continue
      const data = ownBuffer(value)
      credit -= data.byteLength
      post({ t: 'chunk', data }, [data])
    }
  }
  catch (error) {
    if (!cancelled) post({ t: 'error', message: errorMessage(error) })
  }
  finally {
    port.onmessage = null
    port.close()
  }
}

/**
 * Worker side: the body the shell sends on `port`, as a stream. Credit goes
 * back once the reader has taken a quarter of the window; cancelling the
 * stream tells the shell to stop.
 */
export function bodyFromPort(port: MessagePort, window = BODY_PORT_WINDOW): ReadableStream<Uint8Array> {
  let received = 0
  let credited = 0
  let finished = false
  const finish = () => {
    finished = true
    port.onmessage = null
    port.close()
  }
  return new ReadableStream<Uint8Array>({
    start(controller) {
      port.onmessage = (event: MessageEvent<ToWorker>) => {
        const message = event.data
        if (finished) return
        if (message?.t === 'chunk' && message.data instanceof ArrayBuffer) {
          received += message.data.byteLength
          controller.enqueue(new Uint8Array(message.data))
        }
        else if (message?.t === 'end') {
          finish()
          controller.close()
        }
        else {
          finish()
          controller.error(new TypeError(message?.t === 'error' ? message.message : 'the shell sent a malformed body message'))
        }
      }
    },
    // Called as the reader takes chunks: grant what it consumed, in steps.
    pull(controller) {
      if (finished) return
      const queued = window - (controller.desiredSize ?? window)
      const consumed = received - queued
      if (consumed - credited >= window / 4) {
        port.postMessage({ t: 'credit', bytes: consumed - credited } satisfies ToShell)
        credited = consumed
      }
    },
    cancel() {
      if (finished) return
      port.postMessage({ t: 'cancel' } satisfies ToShell)
      finish()
    },
  }, { highWaterMark: window, size: chunk => chunk.byteLength })
}
