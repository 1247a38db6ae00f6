import { errorMessage } from '../shared/error-message'
import { BodyDataMessageSchema, BodyFlowMessageSchema, type BodyDataMessage, type BodyFlowMessage } from './messages'

// A response body from the visitor shell to its service worker over a
// MessagePort. A transferred ReadableStream would do the same, but it clones
// (copies) every chunk and answers each one with a message of its own; here
// chunks the shell owns are transferred, and credit comes back in steps.
//
// Shell → worker: { t: 'chunk', data } (the ArrayBuffer transferred when the
// chunk is all of it), { t: 'end' }, { t: 'error', message }.
// Worker → shell: { t: 'credit', bytes } as its reader consumes, { t: 'cancel' }.
// Both ends safeParse what arrives (the schemas are in ./messages.ts).

/** Bytes the shell may send ahead of the worker's reader. */
export const BODY_PORT_WINDOW = 4 * 1024 * 1024

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
  port.onmessage = (event: MessageEvent<unknown>) => {
    const parsed = BodyFlowMessageSchema.safeParse(event.data)
    if (!parsed.success) console.warn('[body-port] ignored a malformed message from the service worker:', parsed.error.issues[0]?.message)
    else if (parsed.data.t === 'credit') credit += parsed.data.bytes
    else stop('the page stopped reading the response')
    signal()
  }
  // Chromium tells a port that its other end went away (the worker stopped): stop reading.
  port.addEventListener('close', () => {
    stop('the service worker went away')
    signal()
  })
  const post = (message: BodyDataMessage, transfer: Transferable[] = []) => port.postMessage(message, transfer)
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
      port.onmessage = (event: MessageEvent<unknown>) => {
        if (finished) return
        const parsed = BodyDataMessageSchema.safeParse(event.data)
        if (!parsed.success) {
          finish()
          controller.error(new TypeError(`the shell sent a malformed body message: ${parsed.error.issues[0]?.message ?? 'invalid'}`))
          return
        }
        const message = parsed.data
        switch (message.t) {
          case 'chunk':
            received += message.data.byteLength
            return controller.enqueue(new Uint8Array(message.data))
          case 'end':
            finish()
            return controller.close()
          case 'error':
            finish()
            return controller.error(new TypeError(message.message))
          default: {
            const never: never = message
            throw new TypeError(`unhandled body message ${JSON.stringify(never)}`)
          }
        }
      }
    },
    // Called as the reader takes chunks: grant what it consumed, in steps.
    pull(controller) {
      if (finished) return
      const queued = window - (controller.desiredSize ?? window)
      const consumed = received - queued
      if (consumed - credited >= window / 4) {
        port.postMessage({ t: 'credit', bytes: consumed - credited } satisfies BodyFlowMessage)
        credited = consumed
      }
    },
    cancel() {
      if (finished) return
      port.postMessage({ t: 'cancel' } satisfies BodyFlowMessage)
      finish()
    },
  }, { highWaterMark: window, size: chunk => chunk.byteLength })
}
